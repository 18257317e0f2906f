ghost predicate Even(n: int) { n % 2 == 0 }

method Double(n: int) returns (r: int)
  ensures Even(r)
{
  r := 2 * n;
}
