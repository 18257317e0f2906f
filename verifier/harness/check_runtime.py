"""Judging one call of the function under test: shape, mutation, then the spec's ensures.

The same code must decide in two places — in the harness (on values decoded from the
sandbox) and in a standalone pytest module written by `emit_pytest` (on live values) —
so it is kept here as real, linted Python and pasted verbatim between the markers into
the emitted module. It therefore uses the standard library only.

Types travel as small tuples (`("seq", ("int",))`) made by `verifier.harness.checks`.
"""
# --- begin runtime ---
from collections import Counter as _RtCounter


def _datatype_parts(value):
    """(constructor name, {field: value}) of a datatype value — a dataclass instance or the
    sandbox's {"$dataclass": name, "fields": {...}} — else None. Values are matched by
    constructor and field names, so the spec's classes and the function's own ones compare
    equal."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None and not isinstance(value, type):
        return type(value).__name__, {f: getattr(value, f) for f in fields}
    if isinstance(value, dict) and set(value) == {"$dataclass", "fields"} and isinstance(value["fields"], dict):
        return value["$dataclass"], dict(value["fields"])
    return None


def show(value, t=None):
    """A short Dafny-looking rendering of a runtime value, for messages; with its type
    tuple `t` a one-character string still reads as a string, not a char."""
    kind = t[0] if t else None
    elem = t[1] if t and len(t) > 1 else None
    parts = _datatype_parts(value)
    if parts is not None:
        name, fields = parts
        return name + ("(" + ", ".join(show(x) for x in fields.values()) + ")" if fields else "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if callable(value) and hasattr(value, "table_function"):  # a drawn function-typed argument
        pairs, default = value.table_function()
        cases = [f"{', '.join(show(a) for a in args)} => {show(r)}" for args, r in sorted(pairs, key=repr)]
        return "fun {" + ", ".join([*cases, f"_ => {show(default)}"]) + "}"
    if isinstance(value, str):
        if len(value) == 1 and kind != "string":
            return repr(value)
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if type(value).__name__ == "Fraction":
        return str(value) if value.denominator != 1 else f"{value.numerator}.0"
    if isinstance(value, _RtCounter):
        items = sorted((x for x, n in value.items() if n > 0 for _ in range(n)), key=_order)
        return "multiset{" + ", ".join(show(x, elem) for x in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(show(x, elem) for x in sorted(value, key=_order)) + "}"
    if isinstance(value, dict) and set(value) == {"$repr"}:
        return str(value["$repr"])  # an object the sandbox could only describe
    if isinstance(value, dict):
        vt = t[2] if t and len(t) > 2 else None
        items = sorted(value.items(), key=lambda kv: _order(kv[0]))
        return "map[" + ", ".join(f"{show(k, elem)} := {show(v, vt)}" for k, v in items) + "]"
    if isinstance(value, list | tuple):
        if kind == "string":
            return show("".join(str(c) for c in value), t)
        return "[" + ", ".join(show(x, elem) for x in value) + "]"
    return repr(value)


def _order(v):
    if isinstance(v, bool | int | str):
        return (0, type(v).__name__, v)
    return (1, type(v).__name__, repr(v))


def show_args(params, values):
    """`x=1, s="a"` for the (name, type) pairs of a signature."""
    return ", ".join(f"{n}={show(values[n], t)}" for n, t in params)


_KIND_WORDS = {
    "int": "an int", "nat": "a nat (an int >= 0)", "bool": "a bool", "real": "a real (fractions.Fraction)", "char": "a char (a 1-character str)",
    "string": "a string (str)", "seq": "a seq (list)", "array": "an array (list)",
    "set": "a set", "multiset": "a multiset (collections.Counter)", "map": "a map (dict)",
    "datatype": "a datatype value (a dataclass named like its constructor)",
    "function": "a function",
}


def _what(value):
    if isinstance(value, bool):
        return f"the bool {show(value)}"
    if isinstance(value, int):
        return f"the int {value}"
    if isinstance(value, dict) and set(value) == {"$repr"}:
        return f"an object proofroute cannot read back ({value['$repr'][:80]})"
    if value is None:
        return "None"
    return f"a {type(value).__name__} {show(value)[:80]}"


def conform(value, t, datatypes=None):
    """None when `value` is a runtime value of type `t`, else why not (`datatypes`: the
    signature's constructors of each datatype, for values of a datatype)."""
    kind = t[0]
    if kind == "datatype":
        return _conform_datatype(value, t[1], datatypes or {})
    if kind in ("int", "nat"):
        if type(value) is not int:
            return f"{_what(value)} where {_KIND_WORDS[kind]} is expected"
        if kind == "nat" and value < 0:
            return f"the negative int {value} where a nat is expected"
        return None
    if kind == "bool":
        return None if type(value) is bool else f"{_what(value)} where a bool is expected"
    if kind == "function":
        return None if callable(value) else f"{_what(value)} where a function is expected"
    if kind == "real":
        # exact values only: a float would make every real clause approximate
        if type(value) is int or type(value).__name__ == "Fraction":
            return None
        return f"{_what(value)} where a real (fractions.Fraction, exact) is expected"
    if kind == "char":
        if isinstance(value, str) and len(value) == 1:
            return None
        return f"{_what(value)} where a char (a 1-character str) is expected"
    if kind == "string":
        return None if isinstance(value, str) else f"{_what(value)} where a string (str) is expected"
    if kind in ("seq", "array"):
        if not isinstance(value, list | tuple):
            return f"{_what(value)} where {_KIND_WORDS[kind]} is expected"
        return _elements(value, t[1], kind, datatypes)
    if kind == "set":
        if not isinstance(value, set | frozenset):
            return f"{_what(value)} where a set is expected"
        return _elements(value, t[1], kind, datatypes)
    if kind == "multiset":
        if not isinstance(value, _RtCounter):
            return f"{_what(value)} where a multiset (collections.Counter) is expected"
        return _elements([k for k, n in value.items() if n > 0], t[1], kind, datatypes)
    if kind == "map":
        if not isinstance(value, dict):
            return f"{_what(value)} where a map (dict) is expected"
        return (_elements(value.keys(), t[1], "map key", datatypes)
                or _elements(value.values(), t[2], "map value", datatypes))
    return None


def _conform_datatype(value, name, datatypes):
    """A value of the datatype `name`: built by one of its constructors, fields conforming."""
    parts = _datatype_parts(value)
    ctors = dict((c, fields) for c, fields in datatypes.get(name, ()))
    if parts is None or parts[0] not in ctors:
        known = ", ".join(ctors)
        return f"{_what(value)} where a {name} ({known}: a dataclass named like its constructor) is expected"
    ctor, values = parts
    fields = ctors[ctor]
    if set(values) != {fname for fname, _ in fields}:
        return (f"a {ctor} with the fields {', '.join(values) or 'none'} where {name}'s {ctor} has "
                f"{', '.join(fname for fname, _ in fields) or 'none'}")
    for fname, ft in fields:
        x = values[fname]
        if ft[0] in ("seq", "array") and isinstance(x, tuple):
            x = list(x)
        problem = conform(x, ft, datatypes)
        if problem is not None:
            return f"the field {fname} of a {ctor} is {problem}"
    return None


def _elements(values, t, where, datatypes=None):
    for x in values:
        if t[0] in ("seq", "array") and isinstance(x, tuple):
            x = list(x)  # collections inside sets and map keys are hashed to tuples
        problem = conform(x, t, datatypes)
        if problem is not None:
            return f"an element of the {where} is {problem}"
    return None


def result_map(signature, returned):
    """The out-parameters by name, or (None, why the returned value has the wrong shape)."""
    outs = signature["returns"]
    if not outs:
        if returned is not None:
            return None, f"returned {_what(returned)}, but the spec has no out-parameters (return None)"
        return {}, None
    datatypes = signature.get("datatypes")
    if len(outs) == 1:
        name, t = outs[0]
        problem = conform(returned, t, datatypes)
        if problem is not None:
            return None, f"returned {problem} (out-parameter {name})"
        return {name: returned}, None
    if not isinstance(returned, list | tuple) or len(returned) != len(outs):
        names = ", ".join(n for n, _ in outs)
        return None, f"returned {_what(returned)}, but the spec has {len(outs)} out-parameters: return a tuple ({names})"
    out = {}
    for (name, t), value in zip(outs, returned, strict=True):
        problem = conform(value, t, datatypes)
        if problem is not None:
            return None, f"returned {problem} (out-parameter {name})"
        out[name] = value
    return out, None


def _norm_eq(a, b):
    pa, pb = _datatype_parts(a), _datatype_parts(b)
    if pa is not None or pb is not None:
        if pa is None or pb is None or pa[0] != pb[0] or set(pa[1]) != set(pb[1]):
            return False
        return all(_norm_eq(x, pb[1][f]) for f, x in pa[1].items())
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_norm_eq(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        return False
    return a == b


def clause_failures(ensures, args, result, skip=()):
    """The text of each ensures clause that is false or undefined at this point."""
    failing = []
    for text, fn in ensures:
        if text in skip:
            continue
        try:
            ok = bool(fn(args, result))
        except RecursionError:
            ok = False
        except Exception as exc:  # Undefined: a partial operation outside its domain
            if type(exc).__name__ == "NotExecutable":
                raise
            ok = False
        if not ok:
            failing.append(text)
    return failing


def check_call(signature, args, returned, after, ensures, skip=()):
    """None when the call meets the spec, else (kind, message, failing clauses, result).

    `args` holds the inputs as they were before the call, `after` the same parameters
    after it (what the function left in them); both map the spec's parameter names.
    """
    modified = set(signature["modifies"])
    for name, t in signature["params"]:
        before, now = args[name], after[name]
        if name in modified:
            problem = conform(now, t, signature.get("datatypes"))
            if problem is not None:
                return ("shape", f"left {problem} in the array {name}", [], None)
            if len(now) != len(before):
                return ("shape", f"changed the length of the array {name} from {len(before)} to {len(now)} "
                        "(an array's length is fixed)", [], None)
        elif not _norm_eq(before, now):
            return ("mutated", f"changed its argument {name} (not in modifies) from {show(before, t)} to {show(now, t)}",
                    [], None)
    result, problem = result_map(signature, returned)
    if result is None:
        return ("shape", problem, [], None)
    for name in signature["modifies"]:
        result[name] = after[name]
    failing = clause_failures(ensures, args, result, skip)
    if failing:
        return ("ensures", f"ensures {failing[0]!r} is false", failing, result)
    return None
# --- end runtime ---
