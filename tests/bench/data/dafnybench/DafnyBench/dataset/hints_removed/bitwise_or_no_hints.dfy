method RotLeft(n: bv8, d: int) returns (r: bv8)
  requires 0 <= d < 8
  ensures r == (n << d) | (n >> (8 - d))
{
  r := (n << d) | (n >> (8 - d));
}
