method M(x: int, b: bool, c: char, s: seq<int>) returns (y: int)
  requires |s| >= 2
  ensures y != 42 || !b || c != 'z' || s[1] != 7
{
  y := x;
}
method N(s: string, n: nat) returns (r: int) ensures r < 3 { r := |s| + n; }
