method Union(a: set<int>, b: set<int>) returns (c: set<int>)
  ensures forall x :: x in c <==> x in a || x in b
{
  c := a + b;
}

lemma SubsetUnion(a: set<int>, b: set<int>)
  ensures a <= a + b
{
}

method EvenOnly(s: set<int>) returns (e: set<int>)
  ensures forall x :: x in e ==> x in s && x % 2 == 0
{
  e := set x | x in s && x % 2 == 0;
}
