function Pick(s: set<int>): nat
  decreases s
{
  if s == {} then 0 else
    var x :| x in s;
    1 + Pick(s - {x})
}
