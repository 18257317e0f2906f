function SumTo(n: nat): nat
{
  if n == 0 then 0 else n + SumTo(n - 1)
}

lemma Gauss(n: nat)
  ensures 2 * SumTo(n) == n * (n + 1)
{
  if n > 0 {
    Gauss(n - 1);
  }
}
