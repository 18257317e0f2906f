method MinOfList(xs: seq<int>) returns (m: int)
  requires |xs| > 0
  ensures m in xs
  ensures forall x :: x in xs ==> m <= x
{
  m := xs[0];
  var i := 1;
  while i < |xs|
    invariant 1 <= i <= |xs|
    invariant m in xs[..i]
    invariant forall k :: 0 <= k < i ==> m <= xs[k]
  {
    if xs[i] < m {
      m := xs[i];
    }
    i := i + 1;
  }
  assert xs[..i] == xs;
}
