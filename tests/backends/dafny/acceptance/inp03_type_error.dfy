// verdict: UNKNOWN
// exit: 3
// error: 6:5 resolution
method T(x: int) returns (b: bool)
{
  b := x + 1;
}
