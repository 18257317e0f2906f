// verdict: REFUTED
// exit: 1
// error: 10:17 invariant-maintained
method Evens(n: nat) returns (s: int)
{
  s := 0;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant s == 2 * i
  {
    s := s + 3;
    i := i + 1;
  }
}
