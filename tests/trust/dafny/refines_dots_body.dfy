abstract module A {
  method M() returns (x: int)
    ensures x == 1
}

module B refines A {
  method M() returns (x: int)
    ensures x == 2
}
