predicate IsPrefix(p: string, s: string)
{
  |p| <= |s| && p == s[..|p|]
}

method CheckPrefix(p: string, s: string) returns (b: bool)
  ensures b <==> IsPrefix(p, s)
{
  if |p| > |s| { return false; }
  var i := 0;
  while i < |p|
    invariant 0 <= i <= |p|
    invariant p[..i] == s[..i]
  {
    if p[i] != s[i] { return false; }
    i := i + 1;
  }
  return true;
}
