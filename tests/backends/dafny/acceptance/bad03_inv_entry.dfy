// verdict: REFUTED
// exit: 1
// error: 9:17 invariant-entry
method Count(n: nat) returns (i: nat)
  ensures i == n
{
  i := 1;
  while i < n
    invariant i <= n
  {
    i := i + 1;
  }
}
