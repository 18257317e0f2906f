include "../dafny_outside/escape_axiom.dfy"

method Main()
  ensures 1 == 2
{
  Bad();
}
