include "lib_axiom_same_folder.dfy"

method Main()
  ensures 1 == 2
{
  Bad();
}
