lemma Bad()
  ensures (x => x + 1)(1) == 2 ==> false
  ensures var f := (y: int) => {y}; f(1) == {1}

method Main()
  ensures 1 == 2
{
  Bad();
}
