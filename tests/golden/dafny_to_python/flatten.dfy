function method Flat(ss: seq<seq<int>>): seq<int>
{
  if |ss| == 0 then [] else ss[0] + Flat(ss[1..])
}

method Flatten(ss: seq<seq<int>>) returns (r: seq<int>, total: nat)
{
  r := Flat(ss);
  total := |r|;
}
