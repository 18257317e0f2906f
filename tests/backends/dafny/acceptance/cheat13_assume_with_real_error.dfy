// verdict: REFUTED
// exit: 1
// error: 13:12 assertion
// unsound: 8:3
// An assume can only hide errors: the error Dafny still reports is real, so REFUTED.
method Mixed(x: int)
{
  assume x > 0;
  assert x > 0;
}

method Other(y: int) {
  assert y > 0;
}
