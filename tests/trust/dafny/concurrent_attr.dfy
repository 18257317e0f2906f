class C {
  var v: int
  method {:concurrent} Bad()
    ensures false
}
