class C { var x: int }

twostate lemma Bad(c: C)
  ensures c.x == old(c.x) + 1

method Main(c: C)
  ensures 1 == 2
{
  Bad(c);
}
