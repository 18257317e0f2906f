function GcdF(a: nat, b: nat): nat decreases b { if b == 0 then a else GcdF(b, a % b) }

method Gcd(a: nat, b: nat) returns (g: nat)
  requires a > 0 || b > 0
  ensures g == GcdF(a, b)
{
  var x, y := a, b;
  while y != 0
    invariant GcdF(x, y) == GcdF(a, b)
    decreases y
  {
    x, y := y, x % y;
  }
  g := x;
}
