// A `free ensures` is assumed by callers and never checked in the body.
method Bad()
  free ensures false
{
}

method Use() ensures false
{
  Bad();
}
