lemma Fine()
  ensures true
{
}

lemma Bad()
  ensures false

method Main()
  ensures 1 == 2
{
  Bad();
}

lemma Fine2(s: set<int>)
  requires s > {1}
  ensures 1 in s
{
}
