// verdict: REFUTED
// exit: 1
// error: 19:1 postcondition
method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y == x || y == -x
{
  if x < 0 {
    y := -x;
  } else {
    y := x;
  }
}

lemma SquareMonotone(a: int, b: int)
  requires 0 <= a
  requires a <= b
  ensures a * a < b * b
{
}
