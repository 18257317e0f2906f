/* outer /* inner */
lemma Bad() ensures false
*/
lemma Fine(x: nat)
  ensures x >= 0
{
}
