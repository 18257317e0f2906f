method SumAndAverage(n: int) returns (sum: int, average: real)
  requires n > 0
  ensures sum == n * (n + 1) / 2
  ensures average == sum as real / n as real
{
  sum := 0;
  var k := 0;
  while k < n
    invariant 0 <= k <= n
    invariant sum == k * (k + 1) / 2
  {
    k := k + 1;
    sum := sum + k;
  }
  average := sum as real / n as real;
}
