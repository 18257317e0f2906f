// verdict: VERIFIED
// exit: 0
// CRLF line endings throughout.
method Double(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + x;
}
