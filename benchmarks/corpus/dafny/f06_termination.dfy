method Spin(n: int) returns (r: int)
{
  r := n;
  while r != 0
  {
    r := r - 1;
  }
}
