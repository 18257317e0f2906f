include "./lib_verify_false.dfy"

method Main()
  ensures 1 == 2
{
  Cheat();
}
