// assume false;
// lemma Bad() ensures false
/* method {:verify false} M() ensures false {} */
lemma Fine(x: int)
  ensures x + 0 == x
{
  // assume false;
}
