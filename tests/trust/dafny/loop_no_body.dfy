method Main()
  ensures 1 == 2
{
  var i := 0;
  while i < 10
    invariant i == 0
}
