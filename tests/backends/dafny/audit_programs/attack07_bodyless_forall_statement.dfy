lemma Bad() ensures forall x: int :: x > x + 1
{
  forall x: int ensures x > x + 1
}
