function {:opaque} Secret(x: int): int
{
  x + 41
}

lemma SecretOne()
  ensures Secret(1) == 42
{
  reveal Secret();
}
