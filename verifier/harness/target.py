"""Find the user's function from `MODULE:FUNCTION` without running any of the user's code.

The code under test is untrusted and only ever runs in the sandbox, so the parent
locates the file by path arithmetic and reads the function's line and parameters with
`ast` — importing the module here would execute it outside the sandbox.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

from verifier.harness.errors import HarnessInputError

USAGE_HINT = "write MODULE:FUNCTION, e.g. impl:max_of_list or path/to/impl.py:max_of_list"


@dataclass(frozen=True)
class Target:
    """The function under test: its file, how to show that file, and where it is defined."""

    spec: str  # as the user wrote it
    file: Path  # absolute
    display: str  # relative to the cwd when below it
    module: str
    function: str
    line: int  # of the `def`
    params: tuple[str, ...]
    required: int  # positional parameters without a default
    varargs: bool
    import_name: str = ""  # dotted, e.g. mypkg.impl: the module is loaded as part of its package
    import_root: Path | None = None  # the folder its top-level package (or the module) sits in
    project_root: Path | None = None  # see `project_root`


def resolve_target(target: str, cwd: Path | None = None) -> Target:
    here = (cwd or Path.cwd()).resolve()
    module, sep, function = target.rpartition(":")
    if not sep or not module or not function:
        raise HarnessInputError(f"target {target!r} does not name a function", hint=USAGE_HINT)
    if not function.isidentifier():
        raise HarnessInputError(f"{function!r} in target {target!r} is not a Python function name", hint=USAGE_HINT)
    file = _find_file(module, here)
    display = os.path.relpath(file, here) if file.is_relative_to(here) else str(file)
    try:
        source = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HarnessInputError(f"cannot read {display}: {exc}", hint="the module must be a UTF-8 Python file") from None
    try:
        tree = ast.parse(source, filename=display)
    except SyntaxError as exc:
        raise HarnessInputError(
            f"{display}:{exc.lineno}: error: syntax error: {exc.msg}",
            hint="fix the Python syntax; the module is parsed before it runs in the sandbox",
        ) from None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function:
            if isinstance(node, ast.AsyncFunctionDef):
                raise HarnessInputError(f"{display}:{node.lineno}: error: {function} is async",
                                        hint="test a plain (synchronous) function")
            a = node.args
            positional = [*a.posonlyargs, *a.args]
            required = len(positional) - len(a.defaults)
            name, root = import_name(file)
            return Target(target, file, display, file.stem, function, node.lineno,
                          tuple(p.arg for p in positional), required, a.vararg is not None,
                          name, root, project_root(file, here, root))
    defined = sorted(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
    raise HarnessInputError(
        f"{display}:1: error: no top-level function {function!r}",
        hint=f"functions defined there: {', '.join(defined) or 'none'}",
    )


_PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def import_name(file: Path) -> tuple[str, Path]:
    """The dotted name `file` has when imported (each folder above it with an
    ``__init__.py`` is a package level) and the folder that must be on sys.path for it."""
    parts = [] if file.name == "__init__.py" else [file.stem]
    folder = file.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts) or file.parent.name, folder


def project_root(file: Path, cwd: Path, import_root: Path) -> Path:
    """The nearest folder above `file` holding a project marker (pyproject.toml,
    setup.cfg, setup.py, .git); else `cwd` when the file is below it; else `import_root`."""
    for folder in file.parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return cwd if file.is_relative_to(cwd) else import_root


def _find_file(module: str, here: Path) -> Path:
    if module.endswith(".py") or "/" in module or os.sep in module:
        path = Path(module).expanduser()
        path = path if path.is_absolute() else here / path
        if not path.is_file():
            raise HarnessInputError(f"no such file: {module}", hint=USAGE_HINT)
        return path.resolve()
    parts = module.split(".")
    if not all(p.isidentifier() for p in parts):
        raise HarnessInputError(f"{module!r} is neither a module name nor a .py path", hint=USAGE_HINT)
    base = here.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    raise HarnessInputError(
        f"module {module!r} not found in {here}",
        hint="run from the folder that holds the module, or give the path to the .py file",
    )
