// verdict: VERIFIED
// exit: 0
function method SumUp(n: nat): nat
{
  if n == 0 then 0 else n + SumUp(n - 1)
}

lemma SumUpClosed(n: nat)
  ensures 2 * SumUp(n) == n * (n + 1)
{
  if n > 0 {
    SumUpClosed(n - 1);
  }
}

method UseIt(n: nat) returns (r: nat)
  ensures 2 * r == n * (n + 1)
{
  SumUpClosed(n);
  r := SumUp(n);
}
