// verdict: VERIFIED
// exit: 0
// A recursive specification function and an iterative method proved equal to it.
function Fact(n: nat): nat
  decreases n
{
  if n == 0 then 1 else n * Fact(n - 1)
}

method ComputeFact(n: nat) returns (r: nat)
  ensures r == Fact(n)
{
  r := 1;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant r == Fact(i)
  {
    i := i + 1;
    r := r * i;
  }
}
