method DivMod(a: int, b: int) returns (q: int, r: int)
  requires b != 0
  ensures a == b * q + r
  ensures 0 <= r < (if b > 0 then b else -b)
{
  q := a / b;
  r := a % b;
}
