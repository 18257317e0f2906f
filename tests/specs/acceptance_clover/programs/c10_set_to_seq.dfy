method SetToSeq<T(==)>(s: set<T>) returns (xs: seq<T>)
  ensures multiset(s) == multiset(xs)
{
  xs := [];
  var rest := s;
  while rest != {}
    invariant rest <= s
    invariant multiset(rest) + multiset(xs) == multiset(s)
    decreases |rest|
  {
    var x :| x in rest;
    rest := rest - {x};
    xs := xs + [x];
  }
}
