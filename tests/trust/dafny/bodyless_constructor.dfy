class C {
  var x: int
  constructor ()
    ensures x == 1 && x == 2
}

method Main()
  ensures 1 == 2
{
  var c := new C();
}
