method {:verify  false } Bad()
  ensures false
{
}

method Main()
  ensures 1 == 2
{
  Bad();
}
