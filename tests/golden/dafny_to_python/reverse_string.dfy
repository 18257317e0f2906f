method ReverseString(s: string) returns (r: string)
  ensures |r| == |s|
  ensures forall i :: 0 <= i < |s| ==> r[i] == s[|s| - 1 - i]
{
  r := "";
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |r| == i
    invariant forall k :: 0 <= k < i ==> r[k] == s[i - 1 - k]
  {
    r := [s[i]] + r;
    i := i + 1;
  }
}
