method {:extern} Bad() returns (x: int)
  ensures x == 1 && x == 2

method Main()
  ensures 1 == 2
{
  var x := Bad();
}
