method Bad() returns (x: int)
  ensures x > 0 && x < 0

method Main()
  ensures 1 == 2
{
  var x := Bad();
}
