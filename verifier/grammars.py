"""LALR parsers for the package's lark grammars, with their tables kept on disk.

Why: lark builds the LALR tables of the Dafny grammar in ~0.35 s and of the spec
grammar in ~0.1 s, on every process start (every CLI call, every test worker); loading
the saved tables takes ~40 ms. The file is keyed by the grammar text, the options and
the lark version, and written atomically, so a changed grammar or lark never loads stale
tables and parallel processes never read a half-written file. Any problem loading it
means building the parser as without a cache. The tables are lark's pickle format,
read only from the user's own cache dir (like every other cache of ours).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from importlib import resources
from typing import Any

import lark

from verifier.paths import cache_dir, write_atomic

log = logging.getLogger(__name__)


def lalr_parser(package: str, resource: str, **options: Any) -> lark.Lark:
    """`lark.Lark(<package>/<resource>, parser="lalr", **options)`, from the disk cache
    when it holds this exact grammar."""
    grammar = resources.files(package).joinpath(resource).read_text("utf-8")
    key = hashlib.sha256(json.dumps(
        [grammar, sorted(options.items()), lark.__version__], default=repr).encode()
    ).hexdigest()[:32]
    path = cache_dir() / "grammars" / f"{resource}-{key}.lark-tables"
    try:
        with path.open("rb") as f:
            return lark.Lark.load(f)
    except FileNotFoundError:
        pass  # first use with this grammar: built and kept below
    except Exception as exc:  # unreadable or from an incompatible lark: rebuild
        log.debug("rebuilding the %s parser (%s)", resource, exc)
    parser = lark.Lark(grammar, parser="lalr", **options)
    tables = io.BytesIO()
    parser.save(tables)
    try:
        write_atomic(path, tables.getvalue())
    except OSError as exc:  # a read-only cache only costs the build time
        log.debug("could not keep the %s parser tables: %s", resource, exc)
    return parser
