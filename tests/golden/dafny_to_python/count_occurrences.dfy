function CountF(s: seq<int>, x: int): nat decreases |s| { if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + CountF(s[1..], x) }

method CountOccurrences(xs: seq<int>, x: int) returns (c: nat)
  ensures c == CountF(xs, x)
{
  c := 0;
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant c == CountF(xs[i..], x)
  {
    i := i - 1;
    assert xs[i..][1..] == xs[i + 1..];
    if xs[i] == x {
      c := c + 1;
    }
  }
}
