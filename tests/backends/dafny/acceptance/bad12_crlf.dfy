// verdict: REFUTED
// exit: 1
// error: 8:13 assertion
// CRLF line endings: lines still count once per CRLF.
method Neg(x: int)
  requires x > 0
{
  assert -x > 0;
}
