// verdict: UNKNOWN
// exit: 2
// unsound: 4:8
method {:verify false} Wrong(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x;
}

method Honest(x: int) returns (y: int)
  ensures y == x
{
  y := x;
}
// error: 4:1 crosscheck
