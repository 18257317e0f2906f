lemma Bad(S: set<int>)
  ensures false
  ensures S > {1}

method Main()
  ensures 1 == 2
{
  Bad({1, 2});
}
