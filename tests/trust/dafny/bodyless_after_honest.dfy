lemma Fine(s: set<int>)
  requires s > {1}
  ensures 1 in s
{
}

lemma Bad()
  ensures false

method Main()
  ensures 1 == 2
{
  Bad();
}
