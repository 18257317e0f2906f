// A function's named result `: (p: nat)` (for its contract), tuple results, `var (a, b) := e`.
function method PowerOf(b: nat, n: nat): (p: nat)
  ensures p >= 0
{
  if n == 0 then 1 else b * PowerOf(b, n - 1)
}

function method Twin(x: int): (int, int) { (x, x) }

method CubeAndTwin(b: nat) returns (r: nat, t: int)
  ensures r == PowerOf(b, 3)
{
  r := PowerOf(b, 3);
  t := Twin(b).0 + 0;
}

function method QuotRem(a: int, b: int): (int, int)
  requires b > 0
{
  (a / b, a % b)
}

method SplitBySeven(a: int) returns (q: int, r: int)
  ensures a == 7 * q + r
{
  var (x, y) := QuotRem(a, 7);
  q := x;
  r := y;
}
