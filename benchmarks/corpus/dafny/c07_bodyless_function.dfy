function Secret(x: int): int
  ensures Secret(x) > x

lemma Use(x: int)
  ensures Secret(x) > x
{
}
