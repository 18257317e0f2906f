// verdict: UNKNOWN
// exit: 3
// error: 6:12 resolution
method R(x: int) returns (y: int)
{
  y := x + undefinedVar;
}
