function SumF(xs: seq<int>): int decreases |xs| { if |xs| == 0 then 0 else xs[0] + SumF(xs[1..]) }

method Sum(xs: seq<int>) returns (s: int)
  ensures s == SumF(xs)
{
  s := 0;
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant s == SumF(xs[i..])
  {
    i := i - 1;
    assert xs[i..][1..] == xs[i + 1..];
    s := s + xs[i];
  }
}
