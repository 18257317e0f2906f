method M(x: int) returns (y: int)
  ensures y == x
{
  ghost var g := {x};
  assert x in g;
  y := x;
}

ghost method G(s: set<int>)
  requires s > {}
  ensures |s| > 0
{
}
