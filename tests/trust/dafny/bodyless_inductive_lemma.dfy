inductive predicate Ev(n: nat)
{
  n == 0 || (n >= 2 && Ev(n - 2))
}

inductive lemma Bad(n: nat)
  requires Ev(n)
  ensures false

lemma Main()
  ensures 1 == 2
{
  assert Ev(0);
  Bad(0);
}
