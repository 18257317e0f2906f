method IsPermutation(a: seq<int>, b: seq<int>) returns (r: bool)
  ensures r == (multiset(a) == multiset(b))
{
  r := multiset(a) == multiset(b);
}
