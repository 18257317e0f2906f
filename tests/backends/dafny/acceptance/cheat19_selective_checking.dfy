// verdict: UNKNOWN
// exit: 2
// unsound: 5:8
// Boogie's selective checking turns the method's checks into assumptions.
method {:selective_checking} Bad(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x;
}
