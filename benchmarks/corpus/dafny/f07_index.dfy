method Get(a: array<int>, i: int) returns (v: int)
{
  v := a[i];
}
