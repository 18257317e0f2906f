lemma Calc(a: int, b: int)
  ensures (a + b) * (a + b) == a * a + 2 * a * b + b * b
{
  calc {
    (a + b) * (a + b);
  ==
    a * (a + b) + b * (a + b);
  ==
    a * a + a * b + b * a + b * b;
  == { assert a * b == b * a; }
    a * a + 2 * a * b + b * b;
  }
}
