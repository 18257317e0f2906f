lemma Bad(a: array<set<int>>)
  requires a.Length > 0
  ensures a[0] > {}

method Use(a: array<set<int>>) requires a.Length > 0 && a[0] == {} ensures false
{
  Bad(a);
}
