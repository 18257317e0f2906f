method Reverse(xs: seq<int>) returns (r: seq<int>)
  ensures |r| == |xs|
  ensures forall i :: 0 <= i < |xs| ==> r[i] == xs[|xs| - 1 - i]
{
  r := [];
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant |r| == |xs| - i
    invariant forall k :: 0 <= k < |r| ==> r[k] == xs[|xs| - 1 - k]
  {
    i := i - 1;
    r := r + [xs[i]];
  }
}
