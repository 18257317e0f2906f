method Main()
  ensures 1 == 2
{
  ghost var g := 1;
  assume g == 2;
}
