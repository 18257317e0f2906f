module {:verify false} M {
  lemma Bad()
    ensures false
  {
  }
}
