function method F(x: int): int
  ensures F(x) > x
  ensures F(x) < x
