class {:autocontracts} C {
  var v: int
  predicate Valid() { v >= 0 }
  constructor ()
    ensures v == 1 && v == 2
}
