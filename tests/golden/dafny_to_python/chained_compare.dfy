predicate method InRange(lo: int, x: int, hi: int)
{
  lo <= x < hi
}

method Between(lo: int, x: int, hi: int) returns (r: bool, s: bool, eq: bool)
  ensures r == (lo <= x && x < hi)
{
  r := InRange(lo, x, hi);
  s := lo < x <= hi;
  eq := lo == x == hi;
}
