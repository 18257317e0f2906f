class Counter {
  var value: int

  constructor ()
    ensures value == 0
  {
    value := 0;
  }

  method Increment()
    modifies this
    ensures value == old(value) + 1
  {
    value := value + 1;
  }

  method Add(n: nat)
    modifies this
    ensures value == old(value) + n
  {
    var i := 0;
    while i < n
      invariant 0 <= i <= n
      invariant value == old(value) + i
    {
      Increment();
      i := i + 1;
    }
  }
}
