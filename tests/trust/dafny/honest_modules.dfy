module Math {
  function method Double(x: int): int { 2 * x }
  lemma DoubleEven(x: int)
    ensures Double(x) % 2 == 0
  {
  }
}

module Use {
  import opened Math
  method Quad(x: int) returns (y: int)
    ensures y == 4 * x
  {
    y := Double(Double(x));
  }
}
