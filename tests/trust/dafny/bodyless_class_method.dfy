class C {
  method Bad()
    ensures false
}

method Main(c: C)
  ensures 1 == 2
{
  c.Bad();
}
