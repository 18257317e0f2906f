method Main()
  ensures 1 == 2
{
  var f := (x: int) => assume false; x;
  assume f(0) == 1;
}
