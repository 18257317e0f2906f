function method {:extern} F(x: int): int
  ensures F(x) == x + 1

lemma Main()
  ensures F(0) == 1
{
}
