lemma Bad(S: set<int>)
  ensures S > {1}
  ensures false

method Main()
  ensures 1 == 2
{
  Bad({1, 2});
}
