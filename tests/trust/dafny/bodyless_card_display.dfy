lemma Bad()
  ensures |{1}| == 1
  ensures false

method Main()
  ensures 1 == 2
{
  Bad();
}
