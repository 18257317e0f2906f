method Main()
  ensures 1 == 2
{
  assert 1 == 2 by {
    assume false;
  }
}
