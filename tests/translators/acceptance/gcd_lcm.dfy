function method Gcd(a: nat, b: nat): nat
  decreases b
{
  if b == 0 then a else Gcd(b, a % b)
}

// nat recursion and a let expression inside a function method.
function method Lcm(a: nat, b: nat): nat
{
  if a == 0 || b == 0 then 0 else var g := Gcd(a, b); if g == 0 then 0 else a / g * b
}

method GcdLcm(a: nat, b: nat) returns (g: nat, l: nat)
{
  g := Gcd(a, b);
  l := Lcm(a, b);
}
