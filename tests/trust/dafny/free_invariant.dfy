method M() returns (i: int)
  ensures i == 7
{
  i := 0;
  while i < 10
    free invariant i <= 7
    decreases 10 - i
  {
    i := i + 1;
  }
}
