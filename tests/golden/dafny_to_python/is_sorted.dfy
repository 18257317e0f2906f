method IsSorted(xs: seq<int>) returns (b: bool)
  ensures b <==> forall i, j :: 0 <= i < j < |xs| ==> xs[i] <= xs[j]
{
  var k := 1;
  while k < |xs|
    invariant 1 <= k <= |xs| || |xs| == 0
    invariant forall i, j :: 0 <= i < j < k && j < |xs| ==> xs[i] <= xs[j]
  {
    if xs[k - 1] > xs[k] {
      return false;
    }
    k := k + 1;
  }
  return true;
}
