class C {
  static lemma Bad()
    ensures false
}

method Main()
  ensures 1 == 2
{
  C.Bad();
}
