// verdict: UNKNOWN
// exit: 2
// unsound: 5:1
// unsound: 5:8
method {:extern} Oracle(x: int) returns (y: int)
  ensures y * y == x

method Root() returns (r: int)
  ensures r * r == 2
{
  r := Oracle(2);
}
