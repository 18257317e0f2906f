method {:extern "Ext"} Ext(x: int)
  requires x > 0
