method M(x: int) returns (y: int)
  free ensures y == x + 1
{
  y := x;
}

method Main()
{
  var y := M(0);
  assert y == 1;
}
