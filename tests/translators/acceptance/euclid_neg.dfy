// Euclidean division and modulo with divisors and dividends of any sign.
method DivModAll(a: int, b: int) returns (q: int, r: int, q2: int, r2: int)
  requires b != 0
  ensures a == b * q + r
  ensures 0 <= r < (if b < 0 then -b else b)
{
  q := a / b;
  r := a % b;
  q2 := (-a) / b + a / (-b);
  r2 := (a - 7) % b - (a + 7) % (-b);
}

function method Mod7(x: int): int { x % 7 }
function method Div3(x: int): int { x / -3 }

method LiteralDivs(x: int) returns (a: int, b: int, c: int)
{
  a := Mod7(x);
  b := Div3(x);
  c := (x - 100) / 4 + (-x) % 5;
}
