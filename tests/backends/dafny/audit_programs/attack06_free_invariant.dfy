method Bad() ensures false
{
  var i := 0;
  while i < 1
    free invariant false
  {
    i := i + 1;
  }
}
