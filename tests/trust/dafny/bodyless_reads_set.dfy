class C { var v: int }

function Bad(c: C): int
  reads {c}
  ensures Bad(c) != Bad(c)
