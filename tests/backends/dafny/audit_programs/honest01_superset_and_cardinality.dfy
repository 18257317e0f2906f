lemma Superset(S: set<int>)
  requires 1 in S && 2 in S
  ensures S > {1} || S == {1}
{
}

lemma EmptyBelow(a: array<set<int>>)
  requires a.Length > 0 && a[0] == {5}
  ensures a[0] > {}
{
  assert 5 in a[0];
}

lemma Cardinality(s: set<int>)
  ensures |{1}| == 1
  ensures |set x | x in s && x > 0| >= 0
{
}
