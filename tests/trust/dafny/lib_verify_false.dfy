method {:verify false} Cheat()
  ensures false
{
}
