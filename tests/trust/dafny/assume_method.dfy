method Main()
  ensures 1 == 2
{
  assume false;
}
