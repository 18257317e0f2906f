// A char array mutated in place (upper-casing by code arithmetic) and read back.
method UpperInPlace(a: array<char>) returns (changed: nat)
  modifies a
  ensures changed <= a.Length
{
  changed := 0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
    invariant changed <= i
  {
    if 'a' <= a[i] <= 'z' {
      a[i] := (a[i] as int - 32) as char;
      changed := changed + 1;
    }
    i := i + 1;
  }
}
