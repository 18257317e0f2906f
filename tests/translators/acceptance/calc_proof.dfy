function method Square(x: int): int { x * x }

lemma SquareOfSum(a: int, b: int)
  ensures Square(a + b) == Square(a) + 2 * a * b + Square(b)
{
  calc {
    Square(a + b);
    == (a + b) * (a + b);
    == a * a + 2 * a * b + b * b;
    == Square(a) + 2 * a * b + Square(b);
  }
}

// calc and assert-by in compiled code (both ghost, dropped).
method SumSquares(a: int, b: int) returns (s: int, cross: int)
  ensures s == Square(a + b)
  ensures cross == 2 * a * b
{
  s := Square(a) + 2 * a * b + Square(b);
  assert s == Square(a + b) by {
    SquareOfSum(a, b);
  }
  calc == {
    s - Square(a) - Square(b);
    2 * a * b;
  }
  cross := s - Square(a) - Square(b);
}
