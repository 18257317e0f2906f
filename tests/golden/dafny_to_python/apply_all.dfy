// Reference solution of specs/examples/apply_all.toml: a function-typed parameter (a total arrow, ->).
method ApplyAll(xs: seq<int>, f: int -> int) returns (ys: seq<int>)
  ensures |ys| == |xs|
  ensures forall i :: 0 <= i < |xs| ==> ys[i] == f(xs[i])
{
  ys := [];
  var k := 0;
  while k < |xs|
    invariant 0 <= k <= |xs|
    invariant |ys| == k
    invariant forall i :: 0 <= i < k ==> ys[i] == f(xs[i])
  {
    ys := ys + [f(xs[k])];
    k := k + 1;
  }
}
