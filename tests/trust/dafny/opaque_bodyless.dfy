function {:opaque} F(): int
  ensures F() == 1 && F() == 2

lemma Main()
  ensures 1 == 2
{
  reveal F();
  var _ := F();
}
