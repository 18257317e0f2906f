module Geometry {
  datatype Point = Point(x: int, y: int)

  function method ManhattanNorm(p: Point): nat
  {
    (if p.x < 0 then -p.x else p.x) + (if p.y < 0 then -p.y else p.y)
  }

  lemma NormZero(p: Point)
    ensures ManhattanNorm(p) == 0 <==> p == Point(0, 0)
  {
  }
}

method UseGeometry() returns (n: nat)
  ensures n == 7
{
  n := Geometry.ManhattanNorm(Geometry.Point(3, -4));
}
