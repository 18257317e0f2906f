method Typo(x: int) returns (y: int)
{
  y := undefinedVariable + x;
}
