// Traits: a base class with fields and a method calling a member each class implements
// (Python finds it on the object); the classes set the inherited fields in __init__.
trait TShape {
  var scale: int
  function method Area(): int reads this
  method Describe() returns (s: int) { var a := Area(); s := a * scale; }
}
class TSquare extends TShape {
  var side: int
  constructor (s: int) ensures side == s && scale == 1 { side := s; scale := 1; }
  function method Area(): int reads this { side * side }
}
class TRect extends TShape {
  var w: int
  var h: int
  constructor (w0: int, h0: int) { w, h := w0, h0; scale := 2; }
  function method Area(): int reads this { w * h }
}
method ShapesTotal(n: int) returns (t: int)
{
  var sq := new TSquare(n);
  var r := new TRect(n, 3);
  var shapes: seq<TShape> := [sq, r];
  t := 0;
  var i := 0;
  while i < |shapes| decreases |shapes| - i {
    var d := shapes[i].Describe();
    t := t + d;
    i := i + 1;
  }
}
