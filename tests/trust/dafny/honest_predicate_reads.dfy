class Box { var v: int }

predicate Pos(b: Box)
  reads b
{
  b.v > 0
}

method SetPos(b: Box)
  modifies b
  ensures Pos(b)
{
  b.v := 1;
}
