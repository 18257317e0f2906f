codatatype S = Cons(h: int, t: S)

colemma Bad(s: S)
  ensures false

lemma Main(s: S)
  ensures 1 == 2
{
  Bad(s);
}
