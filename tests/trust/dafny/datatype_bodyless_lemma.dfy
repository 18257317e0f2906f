datatype D = A | B

lemma Bad(d: D)
  ensures d.A? && d.B?

lemma Main()
  ensures 1 == 2
{
  Bad(A);
}
