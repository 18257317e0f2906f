function Double(n: nat): nat { 2 * n }

lemma DoubleAdds(a: nat, b: nat)
  ensures Double(a + b) == Double(a) + Double(b)
{
  calc {
    Double(a + b);
    == {
    Double(a) + Double(b);
  }
}
