lemma Bad()
  ensures false
