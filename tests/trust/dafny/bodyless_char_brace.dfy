lemma Bad()
  ensures '{' != '}'
  ensures false

method Main()
  ensures 1 == 2
{
  Bad();
}
