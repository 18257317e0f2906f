function FirstIndex(s: seq<int>, x: int): nat decreases |s| { if |s| == 0 || s[0] == x then 0 else 1 + FirstIndex(s[1..], x) }

lemma FirstIndexAt(s: seq<int>, x: int, i: nat)
  requires i < |s| && s[i] == x && x !in s[..i]
  ensures FirstIndex(s, x) == i
  decreases i
{
  if i > 0 {
    assert s[0] in s[..i];
    assert s[1..][..i - 1] == s[..i][1..];
    FirstIndexAt(s[1..], x, i - 1);
  }
}

method RemoveDuplicates(xs: seq<int>) returns (r: seq<int>)
  ensures forall i, j :: 0 <= i < j < |r| ==> r[i] != r[j]
  ensures forall i :: 0 <= i < |xs| ==> xs[i] in r
  ensures forall i :: 0 <= i < |r| ==> r[i] in xs
  ensures forall i, j :: 0 <= i < j < |r| ==> FirstIndex(xs, r[i]) < FirstIndex(xs, r[j])
{
  r := [];
  var seen: set<int> := {};  // `x in r` on a seq crashes Dafny 2.3's JS build
  var k := 0;
  while k < |xs|
    invariant 0 <= k <= |xs|
    invariant forall x :: x in seen <==> x in r
    invariant forall i, j :: 0 <= i < j < |r| ==> r[i] != r[j]
    invariant forall x :: x in xs[..k] <==> x in r
    invariant forall i :: 0 <= i < |r| ==> FirstIndex(xs, r[i]) < k
    invariant forall i, j :: 0 <= i < j < |r| ==> FirstIndex(xs, r[i]) < FirstIndex(xs, r[j])
  {
    assert xs[..k + 1] == xs[..k] + [xs[k]];
    if xs[k] !in seen {
      FirstIndexAt(xs, xs[k], k);
      r := r + [xs[k]];
      seen := seen + {xs[k]};
    }
    k := k + 1;
  }
  assert xs[..k] == xs;
}
