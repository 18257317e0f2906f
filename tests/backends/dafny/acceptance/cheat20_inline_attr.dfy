// verdict: UNKNOWN
// exit: 2
// unsound: 11:7
// Boogie does not check an inlined procedure on its own: `ensures false` slips through
// while the honest method next to it keeps the count above zero.
method Inc(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x + 1;
}
lemma {:inline 1} Trust(n: int)
  ensures n == 0
{
  Trust(n);
}
// error: 11:1 crosscheck
