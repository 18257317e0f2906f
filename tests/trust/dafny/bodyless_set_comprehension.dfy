lemma Bad()
  ensures (set x | 0 <= x < 3) == {0, 1, 2}
  ensures false

method Main()
  ensures 1 == 2
{
  Bad();
}
