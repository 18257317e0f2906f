method PrefixSums(xs: seq<real>) returns (ys: seq<real>)
  ensures |ys| == |xs|
  ensures forall i :: 0 <= i < |xs| ==> ys[i] == SumR(xs[..i + 1])
{
  ys := [];
  var acc, k := 0.0, 0;
  while k < |xs|
    invariant 0 <= k <= |xs|
    invariant |ys| == k
    invariant acc == SumR(xs[..k])
    invariant forall i :: 0 <= i < k ==> ys[i] == SumR(xs[..i + 1])
  {
    assert xs[..k + 1][..k] == xs[..k];
    acc, k, ys := acc + xs[k], k + 1, ys + [acc + xs[k]];
  }
}
