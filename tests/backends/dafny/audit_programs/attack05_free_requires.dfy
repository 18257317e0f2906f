// A `free requires` is assumed in the body and never checked at a call.
method Bad(x: int)
  free requires x > 0
  ensures x > 0
{
}

method Use() ensures false
{
  Bad(-1);
}
