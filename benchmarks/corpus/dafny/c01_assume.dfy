method Cheat(x: int) returns (y: int)
  ensures y > x
{
  y := x;
  assume y > x;
}
