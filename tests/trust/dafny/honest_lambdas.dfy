method Main()
{
  var f := (x: int) => x + 1;
  var g := x => {x};
  assert f(1) == 2;
  assert g(3) == {3};
}

function Apply(f: int -> int, x: int): int
{
  f(x)
}

lemma ApplyInc()
  ensures Apply(y => y + 1, 1) == 2
{
}
