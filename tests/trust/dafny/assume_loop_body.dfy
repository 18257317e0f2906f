method Main()
  ensures 1 == 2
{
  var i := 0;
  while i < 1
    decreases 1 - i
  {
    assume false;
    i := i + 1;
  }
  assert i == 1;
  assume 1 == 2;
}
