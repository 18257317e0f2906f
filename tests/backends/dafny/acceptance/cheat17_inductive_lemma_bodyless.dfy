// verdict: UNKNOWN
// exit: 2
// unsound: 4:1
inductive lemma Wish(n: nat)
  ensures n == 0

method UseWish(n: nat)
{
  Wish(n);
  assert n == 0;
}
