method First(s: seq<int>, flag: bool, c: char) returns (x: int)
  requires |s| > 0
  ensures x != 5 || !flag || c != 'q'
{
  x := s[0];
}
