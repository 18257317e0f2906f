predicate P(i: int) { i < 0 }

lemma Main()
  ensures P(5)
{
  forall i | 0 <= i < 10
    ensures P(i)
  assert P(5);
}
