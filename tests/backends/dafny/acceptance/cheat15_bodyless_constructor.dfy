// verdict: UNKNOWN
// exit: 2
// unsound: 6:3
class Box {
  var v: int
  constructor (x: int)
    ensures v == x + 1
}

method Make() returns (b: Box)
  ensures b.v == 8
{
  b := new Box(7);
}
