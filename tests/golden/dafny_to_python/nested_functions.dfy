function method Sq(x: int): int
{
  x * x
}

function method Quad(x: int): int
{
  Sq(Sq(x))
}

function method SumSquares(a: int, b: int): int
{
  Sq(a) + Sq(b)
}

method Fourth(x: int, y: int) returns (q: int, s: int)
  ensures q == x * x * x * x
{
  q := Quad(x);
  s := SumSquares(x, y);
}
