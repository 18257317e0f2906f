lemma Bad(s: set<int>)
  decreases {1}
  ensures false

method Main()
  ensures 1 == 2
{
  Bad({1, 2});
}
