class {:extern} C {
  var v: int
  constructor {:extern} ()
    ensures v == 5
}
