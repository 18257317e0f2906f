datatype Item = Coin(value: int) | Gem(carats: int, name: string) | Nothing

// A constant on the left of a comparison (`0 <= x`) and a pattern variable that only
// ghost code uses: the Python must still be ruff-clean (no Yoda condition, no unused
// capture).
function method ItemWorth(it: Item): int
{
  match it
  case Coin(v) => if 0 <= v then v else 0
  case Gem(c, n) => 100
  case Nothing => 0
}

method SmallNonNegatives(u: set<int>, x: int) returns (b: bool, s: set<int>, w: int)
  ensures b == (0 <= x)
{
  b := 0 <= x;
  s := set y | y in u && -3 <= y <= 3 && 1 != y;
  w := ItemWorth(Gem(x, "g"));
  match Coin(x) {
    case Coin(v) =>
      assert v == x;
      w := w + 1;
    case Gem(c, n) =>
    case Nothing =>
  }
}
