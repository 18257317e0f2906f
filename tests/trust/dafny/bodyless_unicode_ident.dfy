lemma Bäd()
  ensures false

method Main()
  ensures 1 == 2
{
  Bäd();
}
