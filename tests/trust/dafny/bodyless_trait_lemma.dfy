trait T {
  lemma Bad()
    ensures false
}

method Main(t: T)
  ensures 1 == 2
{
  t.Bad();
}
