// Tuples as values: returned, compared, destructured by position.
method MinMaxPair(s: seq<int>) returns (p: (int, int))
  requires |s| > 0
  ensures p.0 <= p.1
{
  var lo, hi := s[0], s[0];
  var i := 1;
  while i < |s|
    invariant 1 <= i <= |s|
    invariant lo <= hi
  {
    if s[i] < lo { lo := s[i]; }
    if s[i] > hi { hi := s[i]; }
    i := i + 1;
  }
  p := (lo, hi);
}

method PairSums(s: seq<int>) returns (r: seq<(int, int)>)
  ensures |r| == |s|
{
  r := [];
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant |r| == i
  {
    r := r + [(i, s[i] + i)];
    i := i + 1;
  }
}
