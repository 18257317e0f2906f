method TwoSum(xs: seq<int>, target: int) returns (i: int, j: int)
  requires exists p, q :: 0 <= p < q < |xs| && xs[p] + xs[q] == target
  ensures 0 <= i < j < |xs| && xs[i] + xs[j] == target
  ensures forall p, q :: 0 <= p < q < |xs| && xs[p] + xs[q] == target ==> i < p || (i == p && j <= q)
{
  var a := 0;
  while a < |xs|
    invariant 0 <= a <= |xs|
    invariant forall p, q :: 0 <= p < a && p < q < |xs| ==> xs[p] + xs[q] != target
  {
    var b := a + 1;
    while b < |xs|
      invariant a + 1 <= b <= |xs|
      invariant forall q :: a < q < b ==> xs[a] + xs[q] != target
    {
      if xs[a] + xs[b] == target {
        return a, b;
      }
      b := b + 1;
    }
    a := a + 1;
  }
  return 0, 1;
}
