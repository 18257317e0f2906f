datatype D = A | B

method Main(d: D)
  ensures 1 == 2
{
  match d
  case A => assume false;
  case B => assume false;
}
