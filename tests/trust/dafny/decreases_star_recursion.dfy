method Bad(n: int) returns (r: int)
  ensures r == 0 && r == 1
  decreases *
{
  r := Bad(n);
}
