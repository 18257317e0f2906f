// verdict: REFUTED
// exit: 1
// error: 7:23 assertion
// Tabs count as one column each (Dafny and proofroute alike).
method T(x: int)
{
	var y := x;	assert y != x;
}
