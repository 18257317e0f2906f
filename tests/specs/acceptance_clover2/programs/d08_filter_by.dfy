lemma FilterKeeps<U(==)>(s: seq<U>, q: U -> bool)
  ensures forall y :: y in Filter(s, q) ==> q(y) && y in s
  decreases |s|
{
  if |s| > 0 {
    FilterKeeps(s[1..], q);
  }
}

method FilterBy<T(==)>(xs: seq<T>, p: T -> bool) returns (ys: seq<T>)
  ensures ys == Filter(xs, p)
  ensures forall y :: y in ys ==> p(y) && y in xs
{
  ys := Filter(xs, p);
  FilterKeeps(xs, p);
}
