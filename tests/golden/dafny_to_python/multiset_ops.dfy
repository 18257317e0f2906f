method MultisetOps(a: seq<int>, b: seq<int>, x: int) returns (u: multiset<int>, d: multiset<int>, i: multiset<int>, c: nat, n: nat, sub: bool)
{
  var ma := multiset(a);
  var mb := multiset(b);
  u := ma + mb;
  d := ma - mb;
  i := ma * mb;
  c := ma[x];
  n := |u|;
  sub := ma <= mb;
}
