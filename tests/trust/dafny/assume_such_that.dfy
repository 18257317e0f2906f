method Main()
  ensures 1 == 2
{
  var x: int :| assume x == x + 1;
}
