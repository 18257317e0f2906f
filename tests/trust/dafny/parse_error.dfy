method Main()
  ensures true
{
  var x := ;
}
