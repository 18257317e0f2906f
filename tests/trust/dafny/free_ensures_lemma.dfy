lemma L()
  free ensures false
{
}

lemma Main()
  ensures 1 == 2
{
  L();
}
