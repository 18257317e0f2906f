class C {
  var v: int
  method Set()
    modifies this
    ensures v == 1 && v == 2
  {
    assume false;
  }
}
