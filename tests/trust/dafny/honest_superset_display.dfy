lemma L(s: set<int>)
  requires s > {1}
  ensures 1 in s
{
}

lemma L2(s: set<int>)
  ensures s + {1} > {} 
{
  assert 1 in s + {1};
}
