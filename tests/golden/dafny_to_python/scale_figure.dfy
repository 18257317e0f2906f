// Reference solution of specs/examples/scale_figure.toml: a datatype in and out.
datatype Figure = Dot | Disc(r: int) | Box(w: int, h: int)

function FigureArea(f: Figure): int { if f.Disc? then 3 * f.r * f.r else if f.Box? then f.w * f.h else 0 }

method ScaleFigure(f: Figure, k: int) returns (g: Figure)
  requires k >= 0
  ensures g.Disc? <==> f.Disc?
  ensures g.Box? <==> f.Box?
  ensures f.Disc? ==> g == Disc(f.r * k)
  ensures f.Box? ==> g.w == f.w * k && g.h == f.h * k
  ensures f == Dot ==> g == Dot
  ensures FigureArea(g) == k * k * FigureArea(f)
{
  match f
  case Dot => g := Dot;
  case Disc(r) => g := Disc(r * k);
  case Box(w, h) => g := Box(w * k, h * k);
}
