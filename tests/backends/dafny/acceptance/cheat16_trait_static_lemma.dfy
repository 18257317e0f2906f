// verdict: UNKNOWN
// exit: 2
// unsound: 6:10
// A static trait member cannot be overridden: without a body it is an axiom.
trait Tricks {
  static lemma Bad()
    ensures false
}

method Anything(x: int) returns (y: int)
  ensures y == x + 1
{
  Tricks.Bad();
  y := x;
}
