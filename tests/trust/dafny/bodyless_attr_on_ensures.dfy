lemma Bad()
  ensures {:myattr} false

method Main()
  ensures 1 == 2
{
  Bad();
}
