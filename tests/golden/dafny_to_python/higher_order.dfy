// Function types (->, -->, ~>) as Callable, lambdas (named ones as nested defs), functions as values.
method FindFirst<T>(a: array<T>, P: T -> bool) returns (n: int)
  ensures 0 <= n <= a.Length
{
  n := 0;
  while n != a.Length
    invariant 0 <= n <= a.Length
  {
    if P(a[n]) { return; }
    n := n + 1;
  }
}
function method ApplyTwice(f: int -> int, x: int): int { f(f(x)) }
function method Incr(x: int): int { x + 1 }
method UseLambdas(k: int) returns (r: int, s: seq<int>) {
  var g := (x: int) => x * k;
  var h := (x, y) => x + y;
  r := ApplyTwice(g, k) + ApplyTwice(Incr, 3) + h(1, 2);
  s := [g(1), h(2, 3)];
}
