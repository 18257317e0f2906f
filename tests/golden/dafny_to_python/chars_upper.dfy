function method Upper(c: char): char
{
  if 'a' <= c <= 'z' then (c as int - 'a' as int + 'A' as int) as char else c
}

method ToUpper(s: string) returns (t: string)
  ensures |t| == |s|
  ensures forall i :: 0 <= i < |s| ==> t[i] == Upper(s[i])
{
  t := "";
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |t| == i
    invariant forall k :: 0 <= k < i ==> t[k] == Upper(s[k])
  {
    t := t + [Upper(s[i])];
    i := i + 1;
  }
}
