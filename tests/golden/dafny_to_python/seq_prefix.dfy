method Prefixes(a: seq<int>, b: seq<int>) returns (p: bool, pp: bool)
  ensures p == (|a| <= |b| && a == b[..|a|])
{
  p := a <= b;
  pp := a < b;
}
