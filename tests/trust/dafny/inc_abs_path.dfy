include "/tmp/proofroute_trust_abs_include.dfy"

method Main()
  ensures 1 == 2
{
  Bad();
}
