function F(x: int): int
  ensures F(x) > x
{
  assume false; x
}
