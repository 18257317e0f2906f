method below_zero(operations: seq<int>) returns (s: array<int>, result: bool)
  ensures s.Length == |operations| + 1
  ensures s[0] == 0
  ensures forall i :: 0 <= i < s.Length - 1 ==> s[i + 1] == s[i] + operations[i]
  ensures result == true ==> (exists i :: 1 <= i <= |operations| && s[i] < 0)
  ensures result == false ==> forall i :: 0 <= i < s.Length ==> s[i] >= 0
{
  s := new int[|operations| + 1];
  s[0] := 0;
  result := false;
  var w := 0;
  var k := 0;
  while k < |operations|
    invariant 0 <= k <= |operations|
    invariant s[0] == 0
    invariant forall i :: 0 <= i < k ==> s[i + 1] == s[i] + operations[i]
    invariant result ==> 1 <= w <= k && s[w] < 0
    invariant !result ==> forall i :: 0 <= i <= k ==> s[i] >= 0
  {
    s[k + 1] := s[k] + operations[k];
    if s[k + 1] < 0 {
      result := true;
      w := k + 1;
    }
    k := k + 1;
  }
}
