method FibSeq(n: nat) returns (fs: seq<int>)
  ensures fs == SeqInit1(n)
{
  fs := [];
  var a, b := 0, 1;
  var k := 0;
  while k < n
    invariant 0 <= k <= n
    invariant fs == SeqInit1(k)
    invariant a == Fib(k) && b == Fib(k + 1)
  {
    fs := fs + [a];
    a, b := b, a + b;
    k := k + 1;
  }
}
