method IsPalindrome(s: string) returns (b: bool)
  ensures b <==> forall i :: 0 <= i < |s| ==> s[i] == s[|s| - 1 - i]
{
  var i := 0;
  while i < |s| / 2
    invariant 0 <= i <= |s| / 2
    invariant forall k :: 0 <= k < i ==> s[k] == s[|s| - 1 - k]
  {
    if s[i] != s[|s| - 1 - i] {
      return false;
    }
    i := i + 1;
  }
  assert forall k :: 0 <= k < |s| ==> s[k] == s[|s| - 1 - k] by {
    forall k | 0 <= k < |s|
      ensures s[k] == s[|s| - 1 - k]
    {
      var k2 := |s| - 1 - k;
      if k >= i && k2 < i {
        assert s[k2] == s[|s| - 1 - k2];
      }
    }
  }
  return true;
}
