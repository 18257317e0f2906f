// verdict: UNKNOWN
// exit: 2
// unsound: 6:3
// unsound: 10:5
method Forever(x: int) returns (y: int)
  decreases *
  ensures y == x + 1
{
  while true
    decreases *
  {
  }
}
