// ':|' by search over the bounded domain, in the order Dafny's compiler searches it.
method CountLessBySearch(a: set<int>, t: int) returns (c: int)
{
  c := 0;
  var shrink := a;
  while shrink != {}
    decreases |shrink|
  {
    var i: int :| i in shrink;
    shrink := shrink - {i};
    if i < t { c := c + 1; }
  }
}
method FirstSquareAbove(n: nat) returns (k: int)
  ensures k * k > n
{
  assert (n + 1) * (n + 1) > n;
  k :| 0 <= k <= n + 1 && k * k > n;
}
method PickIndexOf(s: seq<int>) returns (x: int, y: int)
  requires |s| > 0
{
  x, y :| x in s && 0 <= y < |s| && s[y] == x;
}
