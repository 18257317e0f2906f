// A set built in a loop; its size and membership afterwards.
method DistinctCount(s: seq<int>) returns (seen: set<int>, n: int)
  ensures seen == set x | x in s
  ensures n == |seen|
{
  seen := {};
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant seen == set x | x in s[..i]
  {
    seen := seen + {s[i]};
    i := i + 1;
  }
  assert s[..i] == s;
  n := |seen|;
}
