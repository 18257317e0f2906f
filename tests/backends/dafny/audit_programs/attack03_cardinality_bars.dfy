lemma Bad(s: set<int>)
  ensures |{1}| == 2 && |set x | x in s| >= 0

method Use() ensures false
{
  Bad({});
}
