lemma Everything(x: int)
  ensures x > x + 1
