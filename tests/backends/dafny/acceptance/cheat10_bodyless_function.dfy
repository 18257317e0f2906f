// verdict: UNKNOWN
// exit: 2
// unsound: 4:1
function method Secret(x: int): int
  ensures Secret(x) > x

method UseSecret(x: int) returns (y: int)
  ensures y > x
{
  y := Secret(x);
}
