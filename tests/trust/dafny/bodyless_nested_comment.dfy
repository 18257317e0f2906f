lemma Bad()
  ensures false
/* outer /* inner */ { still a comment } */

method Main()
  ensures 1 == 2
{
  Bad();
}
