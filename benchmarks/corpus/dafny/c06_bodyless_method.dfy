method Magic(x: int) returns (y: int)
  ensures y == x * x + 1

method UseMagic() returns (r: int)
  ensures r == 10
{
  r := Magic(3);
}
