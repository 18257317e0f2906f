function G(x: int): int

predicate P(x: int)

lemma Refl(x: int)
  ensures G(x) == G(x)
  ensures P(x) ==> P(x)
{
}

lemma UseG(x: int, y: int)
  requires y == G(x)
  ensures G(x) == y
{
}
