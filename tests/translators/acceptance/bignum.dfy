function method Fact(n: nat): nat
{
  if n == 0 then 1 else n * Fact(n - 1)
}

// Big integers: factorial and powers far beyond 64 bits.
method BigNumbers(n: nat) returns (f: nat, p: int, f30: nat)
  requires n <= 200
  ensures f == Fact(n)
{
  f := 1;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant f == Fact(i)
  {
    i := i + 1;
    f := f * i;
  }
  p := 1;
  var j := 0;
  while j < n
    invariant 0 <= j <= n
  {
    p := p * -2;
    j := j + 1;
  }
  f30 := Fact(30);
}

method PowMod(b: int, e: nat, m: int) returns (r: int)
  requires m > 1
{
  var x := 1;
  var k := 0;
  while k < e
    invariant 0 <= k <= e
  {
    x := x * b;
    k := k + 1;
  }
  r := x % m;
}
