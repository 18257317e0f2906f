method Inc(x: int) returns (y: int)
  ensures y == x + 2
{
  y := x + 1;
}
