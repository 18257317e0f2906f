function CountF(s: seq<int>, x: int): nat decreases |s| { if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + CountF(s[1..], x) }

method Histogram(xs: seq<int>) returns (h: map<int, nat>)
  ensures forall x :: x in h ==> x in xs
  ensures forall i :: 0 <= i < |xs| ==> xs[i] in h && h[xs[i]] == CountF(xs, xs[i])
{
  h := map[];
  var i := |xs|;
  while i > 0
    invariant 0 <= i <= |xs|
    invariant forall x :: x in h <==> x in xs[i..]
    invariant forall x :: CountF(xs[i..], x) == (if x in h then h[x] else 0)
  {
    i := i - 1;
    assert xs[i..][1..] == xs[i + 1..];
    assert xs[i..] == [xs[i]] + xs[i + 1..];
    var y := xs[i];
    if y in h {
      h := h[y := h[y] + 1];
    } else {
      h := h[y := 1];
    }
  }
  assert xs[0..] == xs;
}
