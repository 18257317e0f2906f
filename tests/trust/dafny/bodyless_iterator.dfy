iterator Gen() yields (x: int)
  yield ensures x > 0 && x < 0
  ensures false
