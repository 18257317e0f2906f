abstract module A {
  lemma Bad()
    ensures false
}

module B refines A {
}

module C {
  import B
  lemma Main()
    ensures 1 == 2
  {
    B.Bad();
  }
}
