lemma Bad()
  ensures false
{
  assume false;
}
