"""Where each value of a TOML file stands: tomllib gives values but no positions.

`TomlPositions` scans the raw text once (after tomllib accepted it, so the text is valid
TOML) and records, for every value, its key path and start position; for strings also the
position of every decoded character, so an offset inside a clause string maps back to the
file even across escapes and multi-line strings.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]
Pos = tuple[int, int]  # 1-based line, 1-based column

_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "e": "\x1b"}
_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class StringPos:
    """Positions of a string value: `chars[i]` is where decoded character i starts."""

    start: Pos
    chars: tuple[Pos, ...]
    end: Pos

    def at(self, offset: int) -> Pos:
        if 0 <= offset < len(self.chars):
            return self.chars[offset]
        return self.end


class TomlPositions:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.col = 1
        self.values: dict[Path, Pos] = {}
        self.strings: dict[Path, StringPos] = {}
        self.keys: dict[Path, Pos] = {}
        self._aot: dict[Path, int] = {}
        self._scan()

    # -------------------------------------------------------------- public lookups
    def value(self, path: Path) -> Pos | None:
        return self.values.get(path)

    def string(self, path: Path) -> StringPos | None:
        return self.strings.get(path)

    def key(self, path: Path) -> Pos | None:
        return self.keys.get(path)

    def near(self, path: Path) -> Pos:
        """The best position for `path`: its value, its key, or its closest ancestor."""
        while path:
            for table in (self.values, self.keys):
                if path in table:
                    return table[path]
            path = path[:-1]
        return (1, 1)

    # -------------------------------------------------------------- scanning
    def _peek(self, n: int = 0) -> str:
        j = self.i + n
        return self.text[j] if j < len(self.text) else ""

    def _pos(self) -> Pos:
        return (self.line, self.col)

    def _adv(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i >= len(self.text):
                return
            if self.text[self.i] == "\n":
                self.line += 1
                self.col = 1
            else:
                self.col += 1
            self.i += 1

    def _skip_ws(self, newlines: bool) -> None:
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self._adv()
            elif c == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self._adv()
            else:
                return

    def _scan(self) -> None:
        table: Path = ()
        while True:
            self._skip_ws(newlines=True)
            if self.i >= len(self.text):
                return
            if self._peek() == "[":
                aot = self._peek(1) == "["
                start = self._pos()
                self._adv(2 if aot else 1)
                keys = self._key()
                self._skip_ws(newlines=False)
                self._adv(2 if aot else 1)
                table = self._resolve(keys, aot)
                self.keys[table] = start
                self.values.setdefault(table, start)
            else:
                kstart = self._pos()
                keys = self._key()
                path = self._resolve_rel(table, keys)
                self.keys[path] = kstart
                self._skip_ws(newlines=False)
                self._adv()  # '='
                self._skip_ws(newlines=False)
                self._value(path)

    def _resolve(self, keys: list[str], aot: bool) -> Path:
        path: Path = ()
        for n, k in enumerate(keys):
            path = (*path, k)
            last = n == len(keys) - 1
            if last and aot:
                idx = self._aot.get(path, -1) + 1
                self._aot[path] = idx
                path = (*path, idx)
            elif path in self._aot:
                path = (*path, self._aot[path])
        return path

    def _resolve_rel(self, table: Path, keys: list[str]) -> Path:
        path = table
        for k in keys:
            path = (*path, k)
            if path in self._aot:
                path = (*path, self._aot[path])
        return path

    def _key(self) -> list[str]:
        keys = []
        while True:
            self._skip_ws(newlines=False)
            start = self._pos()
            c = self._peek()
            if c in "\"'":
                keys.append(self._string()[0])
            else:
                j = self.i
                while self._peek() in _BARE and self._peek():
                    self._adv()
                keys.append(self.text[j : self.i])
            del start
            self._skip_ws(newlines=False)
            if self._peek() == ".":
                self._adv()
                continue
            return keys

    def _value(self, path: Path) -> None:
        start = self._pos()
        self.values[path] = start
        c = self._peek()
        if c in "\"'":
            value, chars, end = self._string()
            del value
            self.strings[path] = StringPos(start, tuple(chars), end)
        elif c == "[":
            self._adv()
            n = 0
            while True:
                self._skip_ws(newlines=True)
                if self._peek() == "]" or not self._peek():
                    self._adv()
                    return
                self._value((*path, n))
                n += 1
                self._skip_ws(newlines=True)
                if self._peek() == ",":
                    self._adv()
        elif c == "{":
            self._adv()
            while True:
                self._skip_ws(newlines=False)
                if self._peek() == "}" or not self._peek():
                    self._adv()
                    return
                kstart = self._pos()
                keys = self._key()
                sub = (*path, *keys)
                self.keys[sub] = kstart
                self._skip_ws(newlines=False)
                self._adv()  # '='
                self._skip_ws(newlines=False)
                self._value(sub)
                self._skip_ws(newlines=False)
                if self._peek() == ",":
                    self._adv()
        else:
            while self._peek() and self._peek() not in ",]}\n#":
                self._adv()

    def _string(self) -> tuple[str, list[Pos], Pos]:
        quote = self._peek()
        multi = self.text.startswith(quote * 3, self.i)
        literal = quote == "'"
        self._adv(3 if multi else 1)
        if multi and self._peek() == "\n":
            self._adv()
        elif multi and self._peek() == "\r" and self._peek(1) == "\n":
            self._adv(2)
        out: list[str] = []
        chars: list[Pos] = []
        delim = quote * 3 if multi else quote
        while self.i < len(self.text):
            if self.text.startswith(delim, self.i) and not (
                multi and self.text.startswith(quote * 4, self.i)
            ):
                end = self._pos()
                self._adv(len(delim))
                return "".join(out), chars, end
            c = self._peek()
            pos = self._pos()
            if c == "\\" and not literal:
                nxt = self._peek(1)
                if nxt in _ESCAPES:
                    out.append(_ESCAPES[nxt])
                    chars.append(pos)
                    self._adv(2)
                elif nxt in "uU":
                    width = 4 if nxt == "u" else 8
                    out.append(chr(int(self.text[self.i + 2 : self.i + 2 + width], 16)))
                    chars.append(pos)
                    self._adv(2 + width)
                else:  # line-ending backslash in a multi-line string
                    self._adv()
                    while self._peek() in " \t\r\n" and self._peek():
                        self._adv()
            else:
                out.append(c)
                chars.append(pos)
                self._adv()
        return "".join(out), chars, self._pos()
