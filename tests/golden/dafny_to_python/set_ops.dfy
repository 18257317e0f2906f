method SetOps(a: seq<int>, b: seq<int>) returns (u: set<int>, n: set<int>, d: set<int>, sub: bool, disj: bool)
  ensures forall x :: x in u <==> x in a || x in b
{
  var sa := set x | x in a;
  var sb := set x | x in b;
  u := sa + sb;
  n := sa * sb;
  d := sa - sb;
  sub := sa <= sb;
  disj := sa !! sb;
}
