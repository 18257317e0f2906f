predicate P(i: int) { i < 0 }

lemma Main()
  ensures forall i :: 0 <= i < 3 ==> P(i)
{
  forall i | 0 <= i < 3
    ensures P(i)
  {
    assume P(i);
  }
}
