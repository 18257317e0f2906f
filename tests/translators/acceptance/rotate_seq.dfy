// Sequence slicing and concatenation.
method RotateSeq(s: seq<int>, k: nat) returns (r: seq<int>)
  ensures |r| == |s|
  ensures multiset(r) == multiset(s)
{
  if |s| == 0 {
    return s;
  }
  var m := k % |s|;
  r := s[m..] + s[..m];
  assert s == s[..m] + s[m..];
}

method Interleave(a: seq<int>, b: seq<int>) returns (r: seq<int>)
  ensures |r| == |a| + |b|
{
  r := [];
  var i := 0;
  while i < |a| && i < |b|
    invariant 0 <= i <= |a| && i <= |b|
    invariant |r| == 2 * i
  {
    r := r + [a[i], b[i]];
    i := i + 1;
  }
  r := r + a[i..] + b[i..];
}

method MiddleThird(s: seq<char>) returns (mid: seq<char>, ends: seq<char>)
  ensures |mid| + |ends| == |s|
{
  var t := |s| / 3;
  mid := s[t..|s| - t];
  ends := s[..t] + s[|s| - t..];
}
