method IndexOfFirst(xs: seq<int>, x: int) returns (i: int)
  ensures -1 <= i < |xs|
  ensures i >= 0 ==> xs[i] == x && forall j :: 0 <= j < i ==> xs[j] != x
  ensures i == -1 ==> forall j :: 0 <= j < |xs| ==> xs[j] != x
{
  i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant forall j :: 0 <= j < i ==> xs[j] != x
  {
    if xs[i] == x {
      return;
    }
    i := i + 1;
  }
  i := -1;
}
