abstract module A {
  lemma L() ensures false
  method M() ensures false { L(); }
}
