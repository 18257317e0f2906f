class C { var v: int }

method Bad(c: C)
  modifies {c}
  ensures c.v == 1 && c.v == 2
