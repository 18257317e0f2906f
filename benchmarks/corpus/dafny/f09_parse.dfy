method Broken(x: int) returns (y: int)
  ensures y == x
{
  y := x +;
}
