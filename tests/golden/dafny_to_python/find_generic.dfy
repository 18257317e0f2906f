// Reference solution of specs/examples/find_generic.toml: a generic method (T(==)).
function CountIn<T(==)>(s: seq<T>, x: T): nat decreases |s| { if |s| == 0 then 0 else (if s[0] == x then 1 else 0) + CountIn(s[1..], x) }

lemma CountInZero<T(==)>(s: seq<T>, x: T)
  ensures CountIn(s, x) == 0 <==> x !in s
{
  if |s| > 0 {
    assert s == [s[0]] + s[1..];
    CountInZero(s[1..], x);
  }
}

method FindIndexOf<T(==)>(xs: seq<T>, x: T) returns (i: int)
  ensures -1 <= i < |xs|
  ensures i >= 0 ==> xs[i] == x && forall j :: 0 <= j < i ==> xs[j] != x
  ensures i == -1 <==> CountIn(xs, x) == 0
{
  CountInZero(xs, x);
  i := 0;
  while i < |xs|
    invariant 0 <= i <= |xs|
    invariant forall j :: 0 <= j < i ==> xs[j] != x
  {
    if xs[i] == x {
      return;
    }
    i := i + 1;
  }
  i := -1;
}
