class Counter {
  var n: nat
  constructor ()
    ensures n == 0
  {
    n := 0;
  }
  method Inc()
    modifies this
    ensures n == old(n) + 1
  {
    n := n + 1;
  }
}

method Main()
{
  var c := new Counter();
  c.Inc();
  assert c.n == 1;
}
