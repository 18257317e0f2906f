abstract module A {
  lemma L() ensures false
}
module B refines A {
  method M() ensures false { L(); }
}
