// Nested loops with a lexicographic decreases clause.
method CountInversions(s: seq<int>) returns (count: nat)
{
  count := 0;
  var i := 0;
  var j := 1;
  while i < |s|
    invariant 0 <= i <= |s|
    decreases |s| - i, |s| - j
  {
    if j < |s| {
      if s[i] > s[j] {
        count := count + 1;
      }
      j := j + 1;
    } else {
      i := i + 1;
      j := i + 1;
    }
  }
}
