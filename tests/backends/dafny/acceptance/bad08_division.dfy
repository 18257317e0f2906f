// verdict: REFUTED
// exit: 1
// error: 6:14 division
method Ratio(a: int, b: int) returns (q: int)
{
  q := a + 1 / b;
}
