"""Translated from verified Dafny by proofroute (standard library only)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Account:
    """Constructor `Account` of datatype `Account`."""

    owner: str
    balance: int
    frozen: bool


@dataclass(frozen=True)
class Circle:
    """Constructor `Circle` of datatype `Shape`."""

    r: int


@dataclass(frozen=True)
class Rect:
    """Constructor `Rect` of datatype `Shape`."""

    w: int
    h: int


Shape = Circle | Rect


def Deposit(a: Account, amount: int) -> Account:
    """Dafny function `Deposit`.

    requires amount >= 0
    ensures Deposit(a, amount).balance == a.balance + amount
    ensures Deposit(a, amount).owner == a.owner
    """
    return replace(a, balance=a.balance + amount)


def Freeze(a: Account) -> Account:
    """Dafny method `Freeze`.

    ensures b.frozen && b.owner == a.owner && b.balance == a.balance
    """
    b = replace(a, frozen=True)
    return b


def Widen(s: Shape, d: int) -> Shape:
    """Dafny method `Widen`.

    requires s.Rect? && d >= 0
    ensures t.Rect? && t.w == s.w + d && t.h == s.h
    """
    t = replace(s, w=s.w + d)
    return t


def Rename(a: Account, name: str) -> Account:
    """Dafny method `Rename`.

    ensures b.owner == name && b.balance == a.balance && b.frozen == a.frozen
    """
    b = replace(a, owner=name, frozen=a.frozen)
    return b


def DepositFrozen(owner: str, balance: int, amount: int) -> tuple[int, str, bool]:
    """Dafny method `DepositFrozen`.

    requires amount >= 0
    ensures b == balance + amount && o == owner && f
    """
    a = Account(owner, balance, False)
    frozen = Freeze(Deposit(a, amount))
    b, o, f = frozen.balance, frozen.owner, frozen.frozen
    return b, o, f


def WidenRect(w: int, h: int, d: int) -> tuple[int, int, str]:
    """Dafny method `WidenRect`.

    requires d >= 0
    ensures w2 == w + d && h2 == h
    """
    t = Widen(Rect(w, h), d)
    w2, h2 = t.w, t.h
    r = Rename(Account("a", w, False), "b")
    renamed = r.owner
    return w2, h2, renamed
