class {:verify false} C {
  method Bad()
    ensures false
  {
  }
}
