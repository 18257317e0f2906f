// verdict: VERIFIED
// exit: 0
// One real obligation: the well-formedness of the predicate's body (Dafny: "1 verified").
predicate IsEven(n: int)
{
  n % 2 == 0
}
