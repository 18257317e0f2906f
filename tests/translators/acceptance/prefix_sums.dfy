function SumUpTo(s: seq<int>, n: nat): int
  requires n <= |s|
{
  if n == 0 then 0 else SumUpTo(s, n - 1) + s[n - 1]
}

// Prefix sums into a new array of length |s| + 1.
method PrefixSums(s: seq<int>) returns (p: array<int>)
  ensures p.Length == |s| + 1
  ensures forall i :: 0 <= i <= |s| ==> p[i] == SumUpTo(s, i)
{
  p := new int[|s| + 1];
  p[0] := 0;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall j :: 0 <= j <= i ==> p[j] == SumUpTo(s, j)
  {
    p[i + 1] := p[i] + s[i];
    i := i + 1;
  }
}
