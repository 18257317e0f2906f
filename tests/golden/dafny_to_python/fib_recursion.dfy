function method Fib(n: nat): nat
{
  if n < 2 then n else Fib(n - 1) + Fib(n - 2)
}

method FibIter(n: nat) returns (f: nat)
  ensures f == Fib(n)
{
  var a, b := 0, 1;
  var i := 0;
  while i < n
    invariant 0 <= i <= n
    invariant a == Fib(i) && b == Fib(i + 1)
  {
    a, b := b, a + b;
    i := i + 1;
  }
  f := a;
}

method FibRec(n: nat) returns (f: nat)
  requires n <= 20
  ensures f == Fib(n)
{
  f := Fib(n);
}
