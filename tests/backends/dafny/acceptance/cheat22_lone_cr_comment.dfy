// verdict: UNKNOWN
// exit: 2
// unsound: 9:1
// Dafny ends a // comment at a lone carriage return: the assume after it is code.
method Cr(x: int)
  ensures x > 0
{
  // looks like a commentassume x > 0;
}
