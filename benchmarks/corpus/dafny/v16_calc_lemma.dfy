function Double(x: int): int { 2 * x }

lemma DoubleAdd(a: int, b: int)
  ensures Double(a + b) == Double(a) + Double(b)
{
  calc {
    Double(a + b);
    == 2 * (a + b);
    == 2 * a + 2 * b;
    == Double(a) + Double(b);
  }
}
