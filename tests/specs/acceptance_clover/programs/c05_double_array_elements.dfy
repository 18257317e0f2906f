method double_array_elements(s: array<int>)
  modifies s
  ensures forall i :: 0 <= i < s.Length ==> s[i] == 2 * old(s[i])
{
  var k := 0;
  while k < s.Length
    invariant 0 <= k <= s.Length
    invariant forall i :: 0 <= i < k ==> s[i] == 2 * old(s[i])
    invariant forall i :: k <= i < s.Length ==> s[i] == old(s[i])
  {
    s[k] := s[k] + s[k];
    k := k + 1;
  }
}
