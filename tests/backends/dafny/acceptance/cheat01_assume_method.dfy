// verdict: UNKNOWN
// exit: 2
// unsound: 7:3
method Cheat(x: int) returns (y: int)
  ensures y > x
{
  assume x < 0;
  y := 0;
}
