method {:extern} Oracle(x: int) returns (y: int)
  ensures y == x + 1

method UseOracle() returns (z: int)
  ensures z == 6
{
  z := Oracle(5);
}
