method {:rlimit 1} Main(x: int)
  ensures x * x * x == x * x
{
}
