// verdict: UNKNOWN
// exit: 2
// unsound: 4:1
lemma Collatz(n: nat)
  ensures n % 2 == 0

method Even(n: nat)
{
  Collatz(n);
  assert n % 2 == 0;
}
