"""Read a spec TOML file into a typed `Spec`, or fail with a `SpecError` at the exact spot.

`load_spec` raises on the first problem; `load_spec_all` returns the spec (when it could
be built) together with every type error, for `spec check` to report them all.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path as FsPath
from typing import Any

from verifier.specs import model as m
from verifier.specs.generics import mentions_type_param, substitute
from verifier.specs.parser import (
    Names,
    Origin,
    location_in,
    parse_datatypes,
    parse_expr,
    parse_helper,
    parse_signature,
    parse_type,
    signature_type_params,
)
from verifier.specs.positions import Path, TomlPositions
from verifier.specs.typecheck import typecheck
from verifier.specs.values import from_toml

from verifier.errors import SourceLocation, SpecError

KNOWN_KEYS = ("name", "description", "signature", "requires", "ensures", "modifies", "datatypes", "helpers",
              "examples")
_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class _Doc:
    """The raw file, tomllib's data and the value positions, with error helpers."""

    def __init__(self, text: str, file: str | None) -> None:
        self.text = text
        self.file = file
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            found = _TOML_POS.search(msg)
            if found:
                line, col = int(found.group(1)), int(found.group(2))
            else:  # "at end of document"
                lines = text.splitlines() or [""]
                line, col = len(lines), len(lines[-1]) + 1
            what = _TOML_POS.sub("", msg).strip()
            hint = _toml_hint(what)
            if what.endswith("(at end of document)"):
                what = what[: -len("(at end of document)")].strip() + " at the end of the file"
                hint = "an array [ … ], an inline table { … } or a string is not closed before the file ends"
            lines = text.splitlines()
            if what.startswith(("Cannot overwrite", "Cannot declare")) and line <= len(lines):
                col = len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1  # the repeated key, not the line's end
            if what == "Illegal character '\\n'":
                start = _open_quote(text.splitlines()[line - 1] if line <= len(text.splitlines()) else "")
                if start is not None:  # point at the string that was never closed
                    col, what = start + 1, "this string is not closed before the end of the line"
            raise SpecError(
                f"TOML syntax error: {what}",
                location=location_in(file, text, line, col),
                hint=hint,
                code="toml",
            ) from None
        self.pos = TomlPositions(text)

    def where(self, path: Path) -> SourceLocation:
        line, col = self.pos.near(path)
        return location_in(self.file, self.text, line, col)

    def error(self, msg: str, path: Path, hint: str, code: str = "spec") -> SpecError:
        return SpecError(msg, location=self.where(path), hint=hint, code=code)

    def key_error(self, msg: str, path: Path, hint: str) -> SpecError:
        """An error about a key itself (unknown, misspelt): points at the key, not its value."""
        pos = self.pos.key(path) or self.pos.near(path)
        return SpecError(msg, location=location_in(self.file, self.text, *pos), hint=hint, code="spec")

    def string(self, table: dict[str, Any], key: str, path: Path, *, required: bool, hint: str) -> str | None:
        if key not in table:
            if required:
                raise self.error(f"missing key `{key}`", path[:-1] or path, hint)
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.error(f"`{key}` must be a string, found {type(value).__name__}", path, hint)
        return value

    def string_list(self, key: str, hint: str) -> list[str]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            raise self.error(f"`{key}` must be a list of strings", (key,), f'write {key} = ["{value}"]')
        if not isinstance(value, list):
            raise self.error(f"`{key}` must be a list of strings", (key,), hint)
        for i, v in enumerate(value):
            if not isinstance(v, str):
                raise self.error(f"{key}[{i}] must be a string, found {v!r}", (key, i), hint)
        return value

    def origin(self, path: Path) -> Origin:
        sp = self.pos.string(path)
        if sp is None:  # pragma: no cover - every string value is scanned
            line, col = self.pos.near(path)
            return Origin(self.file, self.text, lambda _o: (line, col))
        return Origin(self.file, self.text, sp.at)


_TOML_HINTS = (
    ("Illegal character '\\n'",
     'close the string with the quote it starts with, on the same line; for text over several lines use """ … """'),
    ("Invalid value",
     "a value is a quoted string, a number, true/false, an array [a, b] or an inline table { k = v }; "
     'Dafny expressions go inside quotes: ensures = ["r == x"]'),
    ("Unclosed array", 'separate the items with commas and close the array with ]: ["a", "b"]'),
    ("Cannot overwrite a value", "this key is given twice in the same table: keep one"),
    ("Cannot declare", "this table or key is given twice: keep one"),
    ("Expected '=' after a key", "write key = value"),
    ("Expected newline or end of document", "one key = value per line; quotes inside a string need escaping (\\\")"),
    ("Invalid initial character for a key", "inline tables { … } must stay on one line; use a [table] for more"),
)


def _toml_hint(what: str) -> str:
    """tomllib names the symptom; say what usually causes it in a spec file."""
    for prefix, hint in _TOML_HINTS:
        if what.startswith(prefix):
            return hint
    return "fix the TOML syntax here (strings need quotes, arrays [a, b], tables [[helpers]])"


def _open_quote(line: str) -> int | None:
    """Index of the quote that opens a string left unclosed at the end of `line`."""
    i, start, quote = 0, None, ""
    while i < len(line):
        c = line[i]
        if start is None:
            if c == "#":
                return None
            if c in "\"'":
                start, quote = i, c
        elif c == "\\" and quote == '"':
            i += 1
        elif c == quote:
            start = None
        i += 1
    return start


def load_spec_text(text: str, file: str | None = None) -> m.Spec:
    spec, errors = load_spec_all(text, file)
    if errors:
        raise errors[0]
    return spec


def load_spec(path: str | FsPath) -> m.Spec:
    text = read_spec_file(path)
    return load_spec_text(text, str(path))


def read_spec_file(path: str | FsPath) -> str:
    try:
        return FsPath(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(
            f"cannot read spec file {path}: {exc.strerror if isinstance(exc, OSError) else exc}",
            location=SourceLocation(str(path), 1, 1),
            hint="check the path; a spec is a UTF-8 TOML file",
            code="io",
        ) from None


def load_spec_all(text: str, file: str | None = None) -> tuple[m.Spec, list[SpecError]]:
    """Parse everything; raises SpecError for syntax problems, returns type errors."""
    doc = _Doc(text, file)
    data = doc.data
    for key in data:
        if key not in KNOWN_KEYS:
            raise doc.key_error(
                f"unknown key `{key}`", (key,), f"a spec has the keys: {', '.join(KNOWN_KEYS)}"
            )
    name = doc.string(data, "name", ("name",), required=True, hint='write name = "my_spec"') or ""
    if (problem := m.name_problem(name)) is not None:
        raise doc.error(problem, ("name",), m.NAME_HINT)
    description = doc.string(data, "description", ("description",), required=False, hint="write a one-line description") or ""
    sig = doc.string(
        data, "signature", ("signature",), required=True,
        hint='write signature = "method Name(x: int) returns (r: int)"',
    ) or ""
    datatypes = _datatypes(doc)
    names = _names(datatypes)
    method, params, returns = parse_signature(sig, doc.origin(("signature",)), names)
    type_params = signature_type_params(sig, doc.origin(("signature",)))
    tnames = frozenset(tp.name for tp in type_params)

    clauses = {key: _clauses(doc, key, tnames, names) for key in ("requires", "ensures")}
    frames = _frames(doc)
    helpers = _helpers(doc, names)  # a helper is a top-level Dafny function: it declares its own type parameters

    spec = m.Spec(
        name=name,
        description=description,
        method=method,
        params=params,
        returns=returns,
        requires=tuple(clauses["requires"]),
        ensures=tuple(clauses["ensures"]),
        modifies=tuple(frames),
        helpers=tuple(helpers),
        examples=(),
        source=file,
        signature=sig,
        span=doc.origin(("signature",)).span(0),
        datatypes=datatypes,
        type_params=type_params,
    )
    spec, errors = typecheck(spec, text)
    examples = _examples(doc, spec)
    return m.Spec(**{**spec.__dict__, "examples": tuple(examples)}), errors


def _clauses(doc: _Doc, key: str, tnames: frozenset[str], names: Names) -> list[m.Clause]:
    """The `requires` or `ensures` list, each clause parsed (the method's type parameters
    and the spec's datatypes in scope)."""
    out = []
    for i, src in enumerate(doc.string_list(key, f'write {key} = ["x >= 0"]')):
        origin = doc.origin((key, i))
        expr = parse_expr(src, origin, f"{key}[{i}]", tnames, names)
        out.append(m.Clause(src, expr, origin.span(_first_non_space(src), len(src))))
    return out


def _frames(doc: _Doc) -> list[m.Frame]:
    """The `modifies` list: parameter names."""
    frames = []
    for i, src in enumerate(doc.string_list("modifies", 'write modifies = ["a"]')):
        origin = doc.origin(("modifies", i))
        if not _IDENT.match(src.strip()):
            raise doc.error(f"modifies[{i}] must be a parameter name, found {src!r}", ("modifies", i), 'write modifies = ["a"]')
        frames.append(m.Frame(src.strip(), origin.span(_first_non_space(src))))
    return frames


def _sources(doc: _Doc, key: str, example: str) -> list[tuple[str, Origin]]:
    """The `source` strings of the `[[helpers]]` or `[[datatypes]]` tables, with their origins."""
    raw = doc.data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(h, dict) for h in raw):
        raise doc.error(f"`{key}` must be an array of tables", (key,), f'write [[{key}]] then source = "{example}"')
    out = []
    for i, h in enumerate(raw):
        for k in h:
            if k != "source":
                raise doc.key_error(f"unknown key `{k}` in {key}[{i}]", (key, i, k), f"each of {key} has one key: source")
        src = doc.string(h, "source", (key, i, "source"), required=True, hint=f'write source = "{example}"') or ""
        out.append((src, doc.origin((key, i, "source"))))
    return out


def _helpers(doc: _Doc, names: Names) -> list[m.Helper]:
    """The `[[helpers]]` tables, each a Dafny function or predicate in `source`."""
    return [parse_helper(src, origin, names=names)
            for src, origin in _sources(doc, "helpers", "function F(x: int): int { x }")]


def _names(datatypes: tuple[m.Datatype, ...]) -> Names:
    return Names(frozenset(d.name for d in datatypes), frozenset(c.name for d in datatypes for c in d.ctors),
                 frozenset((d.name, len(d.type_params)) for d in datatypes if d.type_params))


def _datatypes(doc: _Doc) -> tuple[m.Datatype, ...]:
    """The `[[datatypes]]` tables, each a Dafny `datatype` declaration in `source`."""
    return parse_datatypes(_sources(doc, "datatypes", "datatype Shape = Circle(r: int) | Rect(w: int, h: int)"))


def _first_non_space(s: str) -> int:
    return len(s) - len(s.lstrip())


def _examples(doc: _Doc, spec: m.Spec) -> list[m.Example]:
    raw = doc.data.get("examples", [])
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise doc.error("`examples` must be an array of tables", ("examples",), "write [[examples]] then args = { x = 1 } and result = { r = 2 }")
    out = []
    modified = {f.name for f in spec.modifies}
    for i, ex in enumerate(raw):
        path: Path = ("examples", i)
        for key in ex:
            if key not in ("args", "result", "type_args"):
                raise doc.key_error(f"unknown key `{key}` in examples[{i}]", (*path, key),
                                    "an example has the keys args, result and (for a generic method) type_args")
        type_args = _type_args(doc, spec, ex, path)
        values: dict[str, dict[str, Any]] = {}
        for key, expected in (
            ("args", list(spec.params)),
            ("result", [*spec.returns, *(p for p in spec.params if p.name in modified)]),
        ):
            table = ex.get(key, {})
            if not isinstance(table, dict):
                raise doc.error(f"examples[{i}].{key} must be a table", (*path, key), f"write {key} = {{ name = value, ... }}")
            names = {p.name for p in expected}
            for k in table:
                if k not in names:
                    hint = f"{key} takes: {', '.join(sorted(names)) or 'nothing'}"
                    if key == "result" and any(p.name == k for p in spec.params):
                        hint = f"{k} is not in modifies, so it has no value after the call; " + hint
                    raise doc.key_error(f"examples[{i}].{key} has unknown name `{k}`", (*path, key, k), hint)
            conv = {}
            for p in expected:
                if p.name not in table:
                    raise doc.error(
                        f"examples[{i}].{key} lacks a value for `{p.name}`",
                        (*path, key) if key in ex else path,
                        f"add {p.name} = <a {m.type_text(p.type)}> to {key}",
                    )
                if isinstance(p.type, m.ArrowType):
                    raise doc.error(
                        f"examples[{i}].{key}.{p.name}: a function-typed parameter cannot be given an example value",
                        (*path, key, p.name),
                        "examples with function parameters are not supported; leave out [[examples]] "
                        "(the property harness draws functions itself)",
                    )
                conv[p.name] = from_toml(
                    table[p.name], substitute(p.type, type_args), (*path, key, p.name), doc.where,
                    f"examples[{i}].{key}.{p.name}", spec.datatypes,
                )
            values[key] = conv
        line, col = doc.pos.near(path)
        spans = {}
        for key in ("args", "result"):
            at = doc.pos.key((*path, key)) if key in ex else None
            spans[key] = m.Span(doc.file, *at) if at else None
        out.append(m.Example(values["args"], values["result"], i, m.Span(doc.file, line, col),
                             args_span=spans["args"], result_span=spans["result"], type_args=type_args))
    return out


def _type_args(doc: _Doc, spec: m.Spec, ex: dict[str, Any], path: Path) -> dict[str, m.Type]:
    """An example's `type_args = { T = "int" }`: a concrete type for each type parameter of
    a generic method (values in TOML are concrete, so the example says which T it uses)."""
    raw = ex.get("type_args")
    names = [tp.name for tp in spec.type_params]
    if raw is None:
        if names:
            raise doc.error(f"{_where(path)} lacks type_args for the generic method's {', '.join(names)}", path,
                            "add type_args = { " + ", ".join(f'{n} = "int"' for n in names) + " } (any concrete type)")
        return {}
    if not isinstance(raw, dict):
        raise doc.error(f"{_where(path)}.type_args must be a table", (*path, "type_args"), 'write type_args = { T = "int" }')
    out: dict[str, m.Type] = {}
    for name in names:
        if name not in raw:
            raise doc.error(f"{_where(path)}.type_args lacks {name}", (*path, "type_args"), f'add {name} = "int"')
    for name, text in raw.items():
        at = (*path, "type_args", name)
        if name not in names:
            raise doc.key_error(f"{_where(path)}.type_args names {name}, which is not a type parameter", at,
                                f"the type parameters are: {', '.join(names) or 'none'}")
        if not isinstance(text, str):
            raise doc.error(f"{_where(path)}.type_args.{name} must be a string", at, 'write e.g. T = "int"')
        t = parse_type(text, doc.origin(at), names=_names(spec.datatypes))
        if mentions_type_param(t) or isinstance(t, (m.ArrowType, m.ArrayType)):
            raise doc.error(f"{_where(path)}.type_args.{name} = {text!r} is not a concrete value type", at,
                            "use a type such as int, bool, char, string, seq<int>")
        out[name] = t
    return out


def _where(path: Path) -> str:
    return f"examples[{path[1]}]"
