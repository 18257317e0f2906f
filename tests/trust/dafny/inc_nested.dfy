include "lib_nested_mid.dfy"

method Main()
  ensures 1 == 2
{
  Mid();
}
