lemma Bad()
  ensures |set x | 0 <= x < 2| >= 0 ==> false

method Main()
  ensures 1 == 2
{
  Bad();
}
