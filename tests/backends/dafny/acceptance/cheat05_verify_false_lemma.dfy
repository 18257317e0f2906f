// verdict: UNKNOWN
// exit: 2
// unsound: 4:7
lemma {:verify false} AllZero(x: int)
  ensures x == 0
{
}

method UseFalse(x: int)
{
  AllZero(x);
  assert x == 0;
}
// error: 4:1 crosscheck
