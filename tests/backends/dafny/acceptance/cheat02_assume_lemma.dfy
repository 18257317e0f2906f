// verdict: UNKNOWN
// exit: 2
// unsound: 9:3
lemma Fermat3(x: int, y: int, z: int)
  requires x > 0 && y > 0 && z > 0
  ensures x * x * x + y * y * y != z * z * z
{
  // the proof is "left as an exercise"
  assume x * x * x + y * y * y != z * z * z;
}
