method CountChar(s: string, c: char) returns (n: nat)
  ensures n == |set i | 0 <= i < |s| && s[i] == c|
{
  n := 0;
  var k := 0;
  while k < |s|
    invariant 0 <= k <= |s|
    invariant n == |set i | 0 <= i < k && s[i] == c|
  {
    ghost var before := set i | 0 <= i < k && s[i] == c;
    ghost var after := set i | 0 <= i < k + 1 && s[i] == c;
    if s[k] == c {
      assert k !in before;
      assert after == before + {k};
      n := n + 1;
    } else {
      assert after == before;
    }
    k := k + 1;
  }
}
