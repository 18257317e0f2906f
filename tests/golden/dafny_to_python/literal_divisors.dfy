function method Half(x: int): int
{
  x / 2
}

function method LastDigit(x: int): int
{
  x % 10
}

method Halves(x: int) returns (h: int, d: int, m: int)
  ensures h == x / 2 && d == x % 10 && m == (-x) / 3
{
  h := Half(x);
  d := LastDigit(x);
  m := (-x) / 3;
}
