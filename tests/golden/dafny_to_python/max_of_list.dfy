method MaxOfList(xs: seq<int>) returns (m: int)
  requires |xs| > 0
  ensures forall i :: 0 <= i < |xs| ==> xs[i] <= m
  ensures exists i :: 0 <= i < |xs| && xs[i] == m
{
  m := xs[0];
  var i := 1;
  while i < |xs|
    invariant 1 <= i <= |xs|
    invariant forall k :: 0 <= k < i ==> xs[k] <= m
    invariant exists k :: 0 <= k < i && xs[k] == m
  {
    if xs[i] > m {
      m := xs[i];
    }
    i := i + 1;
  }
}
