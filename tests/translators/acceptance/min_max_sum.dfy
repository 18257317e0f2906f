// Several out-parameters, one pass over a sequence.
method MinMaxSum(s: seq<int>) returns (lo: int, hi: int, total: int)
  requires |s| > 0
  ensures forall k :: 0 <= k < |s| ==> lo <= s[k] <= hi
  ensures lo in s && hi in s
{
  lo, hi, total := s[0], s[0], s[0];
  var i := 1;
  while i < |s|
    invariant 1 <= i <= |s|
    invariant forall k :: 0 <= k < i ==> lo <= s[k] <= hi
    invariant lo in s[..i] && hi in s[..i]
    decreases |s| - i
  {
    if s[i] < lo {
      lo := s[i];
    } else if s[i] > hi {
      hi := s[i];
    }
    total := total + s[i];
    i := i + 1;
  }
}
