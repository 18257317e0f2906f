method Main()
  ensures 1 == 2
{
  assert {:only} true;
  assume false;
}
