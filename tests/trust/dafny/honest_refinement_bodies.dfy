abstract module Spec {
  function method Twice(x: int): int
  method Compute(x: int) returns (y: int)
    ensures y == Twice(x)
}

module Impl refines Spec {
  function method Twice(x: int): int { x + x }
  method Compute(x: int) returns (y: int)
    ensures y == Twice(x)
  {
    y := x + x;
  }
}
