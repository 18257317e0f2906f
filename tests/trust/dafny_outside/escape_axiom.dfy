// Include target outside tests/trust/dafny/: a body-less lemma that proves false.
lemma Bad()
  ensures false
