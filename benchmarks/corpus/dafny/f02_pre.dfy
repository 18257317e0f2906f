method Half(x: int) returns (y: int)
  requires x % 2 == 0
  ensures 2 * y == x
{
  y := x / 2;
}

method Caller() returns (r: int)
{
  r := Half(3);
}
