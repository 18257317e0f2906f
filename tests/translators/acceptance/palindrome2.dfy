// Two pointers from both ends, early return on mismatch.
method IsPal(s: string) returns (ok: bool)
  ensures ok <==> forall k :: 0 <= k < |s| ==> s[k] == s[|s| - 1 - k]
{
  var i, j := 0, |s| - 1;
  while i < j
    invariant 0 <= i <= |s| && j == |s| - 1 - i
    invariant forall k :: 0 <= k < i ==> s[k] == s[|s| - 1 - k]
    invariant forall k :: |s| - i <= k < |s| ==> s[k] == s[|s| - 1 - k]
  {
    if s[i] != s[j] {
      return false;
    }
    i, j := i + 1, j - 1;
  }
  return true;
}
