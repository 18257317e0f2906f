// verdict: UNKNOWN
// exit: 2
// unsound: 9:8
method Inc(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x + 1;
}
method {:ignore} Bad() ensures false
{
}
// error: 9:1 crosscheck
