method Main()
  ensures 1 == 2
{
  var s := "assume";
  assume s == "x";
}
