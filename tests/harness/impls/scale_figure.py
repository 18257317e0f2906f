"""ScaleFigure(f, k): correct and wrong. Datatype values are frozen dataclasses named like
their constructors, as the Dafny→Python compiler writes them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dot:
    pass


@dataclass(frozen=True)
class Disc:
    r: int


@dataclass(frozen=True)
class Box:
    w: int
    h: int


def correct(f, k):
    match f:
        case Disc(r):
            return Disc(r * k)
        case Box(w, h):
            return Box(w * k, h * k)
    return Dot()


def wrong_box_sides_swapped(f, k):
    if isinstance(f, Box):
        return Box(f.h * k, f.w * k)
    return correct(f, k)


def wrong_disc_becomes_box(f, k):
    if isinstance(f, Disc):
        return Box(f.r * k, f.r * k)
    return correct(f, k)


def wrong_unscaled(f, k):
    return f


def wrong_plain_tuple(f, k):
    return ("Disc", f.r * k) if isinstance(f, Disc) else correct(f, k)
