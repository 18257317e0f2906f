datatype Account = Account(owner: string, balance: int, frozen: bool)

datatype Shape = Circle(r: int) | Rect(w: int, h: int)

function method Deposit(a: Account, amount: int): Account
  requires amount >= 0
  ensures Deposit(a, amount).balance == a.balance + amount
  ensures Deposit(a, amount).owner == a.owner
{
  a.(balance := a.balance + amount)
}

method Freeze(a: Account) returns (b: Account)
  ensures b.frozen && b.owner == a.owner && b.balance == a.balance
{
  b := a.(frozen := true);
}

method Widen(s: Shape, d: int) returns (t: Shape)
  requires s.Rect? && d >= 0
  ensures t.Rect? && t.w == s.w + d && t.h == s.h
{
  t := s.(w := s.w + d);
}

method Rename(a: Account, name: string) returns (b: Account)
  ensures b.owner == name && b.balance == a.balance && b.frozen == a.frozen
{
  b := a.(owner := name, frozen := a.frozen);
}

method DepositFrozen(owner: string, balance: int, amount: int) returns (b: int, o: string, f: bool)
  requires amount >= 0
  ensures b == balance + amount && o == owner && f
{
  var a := Account(owner, balance, false);
  var frozen := Freeze(Deposit(a, amount));
  b, o, f := frozen.balance, frozen.owner, frozen.frozen;
}

method WidenRect(w: int, h: int, d: int) returns (w2: int, h2: int, renamed: string)
  requires d >= 0
  ensures w2 == w + d && h2 == h
{
  var t := Widen(Rect(w, h), d);
  w2, h2 := t.w, t.h;
  var r := Rename(Account("a", w, false), "b");
  renamed := r.owner;
}
