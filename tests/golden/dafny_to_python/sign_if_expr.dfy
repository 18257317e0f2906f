function method Sign(x: int): int
{
  if x < 0 then -1 else if x == 0 then 0 else 1
}

method Signs(x: int, y: int) returns (s: int, p: int)
{
  s := Sign(x);
  p := Sign(x) * Sign(y);
}
