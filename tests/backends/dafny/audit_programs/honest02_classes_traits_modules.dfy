module Counters {
  class Counter {
    var n: nat
    constructor (start: nat)
      ensures n == start
    {
      n := start;
    }
    method Inc()
      modifies this
      ensures n == old(n) + 1
    {
      n := n + 1;
    }
    function method Get(): nat
      reads this
    {
      n
    }
  }

  trait Shape {
    function method Area(): nat
    method Scale(k: nat) returns (a: nat)
      ensures a == k * Area()
  }

  class Square extends Shape {
    const side: nat
    constructor (s: nat) ensures side == s { side := s; }
    function method Area(): nat { side * side }
    method Scale(k: nat) returns (a: nat)
      ensures a == k * Area()
    {
      a := k * Area();
    }
  }
}

module Client {
  import opened Counters
  method Use() returns (v: nat)
    ensures v == 4
  {
    var c := new Counter(3);
    c.Inc();
    v := c.Get();
  }
}
