method Main()
  ensures 1 == 2
  decreases *
{
  while true
    decreases *
  {
  }
}
