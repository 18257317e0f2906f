lemma Wrong(n: nat)
  ensures n * n >= 100
{
  assume n >= 10;
}
