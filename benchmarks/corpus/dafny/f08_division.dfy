method Ratio(a: int, b: int) returns (r: int)
{
  r := a / b;
}
