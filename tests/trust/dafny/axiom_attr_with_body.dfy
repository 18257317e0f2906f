lemma {:axiom} Bad()
  ensures false
{
  assume false;
}

method Main()
  ensures 1 == 2
{
  Bad();
}
