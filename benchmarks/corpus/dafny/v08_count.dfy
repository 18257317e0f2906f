function Count(s: seq<int>, x: int): nat
{
  if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + Count(s[1..], x)
}

method CountOccurrences(s: seq<int>, x: int) returns (c: nat)
  ensures c == Count(s, x)
{
  c := 0;
  var i := |s|;
  while i > 0
    invariant 0 <= i <= |s|
    invariant c == Count(s[i..], x)
  {
    i := i - 1;
    c := c + (if s[i] == x then 1 else 0);
  }
}
