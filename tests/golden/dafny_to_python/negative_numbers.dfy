method NegOps(x: int, y: int) returns (a: int, b: int, c: int, d: int)
  requires y != 0
{
  a := -x / y;
  b := -x % y;
  c := -(x / y);
  d := x - -y;
}
