method SeqIsValue(s: seq<int>) returns (t: seq<int>, u: seq<int>)
  requires |s| > 0
  ensures u == s
  ensures |t| == |s| && t[0] == s[0] + 1
{
  t := s;
  u := t;
  t := t[0 := t[0] + 1];
}
