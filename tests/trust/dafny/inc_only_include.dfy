include "lib_axiom_same_folder.dfy"

lemma Fine(x: int)
  ensures x + 0 == x
{
}
