// verdict: REFUTED
// exit: 1
// error: 10:12 assertion
// error: 16:1 postcondition
// error: 22:9 index
method Fine(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x + 1;
  assert y == x;
}

method Wrong(x: int) returns (y: int)
  requires x >= 0
  ensures y > x
{
  y := x;
}

method Idx(s: seq<int>) returns (v: int)
{
  v := s[0];
}

method Good(n: nat) returns (m: nat)
  ensures m == n
{
  m := n;
}
