trait T {
  function F(): int
    ensures F() == 1 && F() == 2
}
