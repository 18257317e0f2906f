lemma {:axiom} FalseThing()
  ensures false
{
}

method UseIt()
  ensures 1 == 2
{
  FalseThing();
}
