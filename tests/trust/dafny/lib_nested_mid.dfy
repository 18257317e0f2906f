include "lib_axiom_same_folder.dfy"

lemma Mid()
  ensures false
{
  Bad();
}
