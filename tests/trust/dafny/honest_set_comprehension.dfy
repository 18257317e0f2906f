function Evens(n: nat): set<int>
{
  set x | 0 <= x < n && x % 2 == 0
}

lemma EvensHasZero(n: nat)
  requires n > 0
  ensures 0 in Evens(n)
{
}
