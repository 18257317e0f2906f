// verdict: UNKNOWN
// exit: 3
// error: 7:11 parse
method P(x: int) returns (y: int)
  ensures y == x
{
  y := x +;
}
