predicate P(x: int)
  ensures P(x) && !P(x)

lemma Main()
  ensures 1 == 2
{
  assert P(0);
}
