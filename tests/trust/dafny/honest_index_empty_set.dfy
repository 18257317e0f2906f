lemma L(a: seq<set<int>>)
  requires |a| > 0 && 3 in a[0]
  ensures a[0] > {}
{
  assert 3 in a[0];
}
