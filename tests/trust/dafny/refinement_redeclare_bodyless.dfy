abstract module A {
  function F(): int
}

module B refines A {
  function F(): int
    ensures F() == 1 && F() == 2
}
