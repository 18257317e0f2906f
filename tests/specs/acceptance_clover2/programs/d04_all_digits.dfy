method allDigits(s: string) returns (result: bool)
  ensures result <==> (forall i :: 0 <= i < |s| ==> s[i] in "0123456789")
  ensures result <==> (forall c :: c in s ==> '0' <= c <= '9')
{
  assert forall c: char :: c in "0123456789" <==> '0' <= c <= '9' by {
    forall c: char ensures c in "0123456789" <==> '0' <= c <= '9' {
      if '0' <= c <= '9' {
        assert c == "0123456789"[(c as int) - ('0' as int)];
      }
    }
  }
  result := true;
  var n := 0;
  ghost var bad := 0;
  while n < |s|
    invariant 0 <= n <= |s|
    invariant forall ii :: 0 <= ii < n ==> '0' <= s[ii] <= '9'
    invariant result
  {
    if !('0' <= s[n] <= '9') {
      result := false;
      bad := n;
      break;
    }
    n := n + 1;
  }
  if result {
    assert forall c :: c in s ==> exists ii :: 0 <= ii < |s| && s[ii] == c;
  } else {
    assert 0 <= bad < |s| && !('0' <= s[bad] <= '9') && s[bad] in s;
  }
}
