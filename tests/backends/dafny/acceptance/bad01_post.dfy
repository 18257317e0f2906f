// verdict: REFUTED
// exit: 1
// error: 6:1 postcondition
method Dec(x: int) returns (y: int)
  ensures y < x
{
  y := x + 1;
}
