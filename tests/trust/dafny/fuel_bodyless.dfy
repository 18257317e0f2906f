function {:fuel 2, 3} F(n: nat): nat
  ensures F(n) == n + 1 && F(n) == n
