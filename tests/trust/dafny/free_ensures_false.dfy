method M()
  free ensures false
{
}

method Main()
  ensures 1 == 2
{
  M();
}
