// verdict: REFUTED
// exit: 1
// error: 7:3 postcondition
function Pred(n: nat): nat
  ensures Pred(n) < n
{
  if n == 0 then 0 else n - 1
}
