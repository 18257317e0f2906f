function method NumDigits(n: nat): nat
  decreases n
{
  if n < 10 then 1
  else if n < 100 then 2
  else 1 + NumDigits(n / 10)
}

function method DigitSum(n: nat): nat
{
  if n == 0 then 0 else n % 10 + DigitSum(n / 10)
}

// function method recursion with if / else if chains.
method DigitInfo(n: nat) returns (count: nat, sum: nat)
  ensures count == NumDigits(n) && sum == DigitSum(n)
{
  count := NumDigits(n);
  sum := DigitSum(n);
}
