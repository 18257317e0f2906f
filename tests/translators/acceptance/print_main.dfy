datatype Token = Num(n: int) | Op(c: char) | End

function method TokenText(t: Token): string
{
  match t
  case Num(n) => "num"
  case Op(c) => [c]
  case End => "end"
}

// A Main that prints every kind of value; its output must be the output of Dafny's own
// JS build, character for character.
method Main()
{
  var xs := [3, -1, 4];
  print "xs=", xs, " |xs|=", |xs|, " sum=", xs[0] + xs[1] + xs[2], "\n";
  print -7 / 2, " ", -7 % 2, " ", 7 / -2, " ", 7 % -2, "\n";
  print true, " ", !true, " ", 'q', " ", "text", " ", ['a', 'b'], "\n";
  print (1, false), " ", [[1, 2], []], " ", {1, 2, 3}, "\n";
  print map[5 := "five"], " ", multiset{3, 1, 3}, "\n";
  var toks := [Num(12), Op('+'), End];
  print toks, " ", toks[0], " ", TokenText(toks[1]), " ", TokenText(toks[0]), "\n";
  var big := 1;
  var i := 0;
  while i < 100
    invariant 0 <= i <= 100
  {
    big := big * 2;
    i := i + 1;
  }
  print "2^100=", big, " ", -big / 3, " ", -big % 7, "\n";
}
