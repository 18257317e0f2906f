// A cheat between honest methods, with a misleading comment: assume nothing here
method Honest(x: int) returns (y: int)
  ensures y >= x
{
  y := x + 1;
}

method   {   :verify   false   } Dishonest(x: int) returns (y: int)
  ensures y == x + 100
{
  y := x;
}
