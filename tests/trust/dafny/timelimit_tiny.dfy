method {:timeLimit 0} Main(x: int)
  ensures false
{
}
