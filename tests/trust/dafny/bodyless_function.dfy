function F(): int
  ensures F() == 1
  ensures F() == 2

lemma Main()
  ensures 1 == 2
{
  var _ := F();
}
