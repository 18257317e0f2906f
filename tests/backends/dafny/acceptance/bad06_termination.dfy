// verdict: REFUTED
// exit: 1
// error: 6:29 termination
function Down(n: int): int
{
  if n == 0 then 0 else 1 + Down(n - 1)
}
