method CountUp(n: nat) returns (i: nat)
  ensures i == n
{
  i := 1;
  while i < n
    invariant 0 <= i <= n
  {
    i := i + 1;
  }
}
