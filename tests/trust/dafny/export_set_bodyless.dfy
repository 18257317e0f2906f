module M {
  export provides Bad
  lemma Bad()
    ensures false
}

module N {
  import M
  lemma Main()
    ensures 1 == 2
  {
    M.Bad();
  }
}
