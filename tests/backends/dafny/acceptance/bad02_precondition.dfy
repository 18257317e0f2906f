// verdict: REFUTED
// exit: 1
// error: 11:32 precondition
method Half(n: int) returns (h: int)
  requires n % 2 == 0
  ensures 2 * h == n
{
  h := n / 2;
}

method Caller() { var r := Half(3); }
