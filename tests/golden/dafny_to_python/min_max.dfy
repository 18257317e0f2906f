method MinMax(xs: seq<int>) returns (lo: int, hi: int)
  requires |xs| > 0
  ensures lo in xs && hi in xs
  ensures forall x :: x in xs ==> lo <= x <= hi
{
  lo, hi := xs[0], xs[0];
  var i := 1;
  while i < |xs|
    invariant 1 <= i <= |xs|
    invariant lo in xs[..i] && hi in xs[..i]
    invariant forall k :: 0 <= k < i ==> lo <= xs[k] <= hi
  {
    if xs[i] < lo {
      lo := xs[i];
    }
    if xs[i] > hi {
      hi := xs[i];
    }
    i := i + 1;
  }
}
