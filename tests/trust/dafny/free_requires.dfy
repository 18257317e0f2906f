method M(x: int)
  free requires x > 0
  ensures 100 / x >= 0
{
}

method Main()
{
  M(0);
}
