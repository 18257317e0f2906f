method Main(b: bool)
  ensures 1 == 2
{
  if b {
    {
      assume false;
    }
  } else {
    if !b { assume false; }
  }
}
