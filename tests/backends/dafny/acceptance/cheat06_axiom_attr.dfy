// verdict: UNKNOWN
// exit: 2
// unsound: 5:1
// unsound: 5:7
lemma {:axiom} Everything(n: nat)
  ensures n < 5

method Use(n: nat)
{
  Everything(n);
  assert n < 5;
}
