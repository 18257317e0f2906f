// Reference solution of specs/examples/average.toml: exact reals.
function SumR(s: seq<real>): real decreases |s| { if |s| == 0 then 0.0 else s[0] + SumR(s[1..]) }

lemma SumRAppend(s: seq<real>, x: real)
  ensures SumR(s + [x]) == SumR(s) + x
{
  if |s| > 0 {
    assert (s + [x])[1..] == s[1..] + [x];
    SumRAppend(s[1..], x);
  }
}

method Average(xs: seq<real>) returns (avg: real)
  requires |xs| > 0
  ensures avg * (|xs| as real) == SumR(xs)
{
  var total := 0.0;
  var i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant total == SumR(xs[..i])
  {
    assert xs[..i + 1] == xs[..i] + [xs[i]];
    SumRAppend(xs[..i], xs[i]);
    total := total + xs[i];
    i := i + 1;
  }
  assert xs[..i] == xs;
  avg := total / (|xs| as real);
}
