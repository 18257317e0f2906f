// Multiset equality in the postcondition of a sequence reversal.
method ReverseSeq(s: seq<int>) returns (r: seq<int>)
  ensures |r| == |s|
  ensures forall i :: 0 <= i < |s| ==> r[i] == s[|s| - 1 - i]
  ensures multiset(r) == multiset(s)
{
  r := [];
  var i := |s|;
  while i > 0
    invariant 0 <= i <= |s|
    invariant |r| == |s| - i
    invariant forall k :: 0 <= k < |r| ==> r[k] == s[|s| - 1 - k]
    invariant multiset(r) == multiset(s[i..])
  {
    i := i - 1;
    assert s[i..] == [s[i]] + s[i + 1..];
    r := r + [s[i]];
  }
  assert s[0..] == s;
}
