method {:verify false} Cheat(x: int) returns (y: int)
  ensures y > x
{
  y := x;
}
