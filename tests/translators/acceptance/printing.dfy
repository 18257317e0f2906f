// print statements mixed with computation.
method PrintAndCount(s: seq<int>, name: string) returns (n: int)
  ensures n == |s|
{
  print "name=", name, "\n";
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
  {
    print i, ":", s[i], " ";
    i := i + 1;
  }
  print "\n";
  n := i;
  print 'c', " ", -5 / 2, " ", n, "\n";
}
