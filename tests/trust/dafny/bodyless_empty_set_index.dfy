lemma Bad(a: seq<set<int>>)
  requires |a| > 0
  ensures a[0] > {}
  ensures false

method Main()
  ensures 1 == 2
{
  Bad([{1}]);
}
