"""Rules of the code base that a reviewer would otherwise check by eye (issue 17).

Each rule walks the packages' syntax trees. Where the code still breaks a rule, the offenders
are listed here (``KNOWN_*``): a new offender fails the test, and fixing one means deleting its
line, so the lists only shrink until they are empty.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from geo.messages import catalogue, check

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "analysis", "maps", "api")
#: A function longer than this many lines is split (the template's routes are a few dozen).
MAX_LINES = 80
#: How many functions in the whole project may exceed MAX_LINES: none, anywhere.
MAX_LONG = 0

#: file -> language ternaries (``"..." if zh else "..."``) still in it; the catalogue replaces them.
KNOWN_TERNARIES: dict[str, int] = {}
#: "importer: module.name" of private names still imported across modules.
KNOWN_PRIVATE_IMPORTS: set[str] = set()
#: "file:function" of api/ functions still longer than MAX_LINES.
KNOWN_LONG_API: set[str] = set()
#: How many functions of the project are still longer than MAX_LINES (down to MAX_LONG).
KNOWN_LONG = 0


def _modules() -> dict[str, ast.Module]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            out[path.relative_to(ROOT).as_posix()] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _module_name(rel: str) -> str:
    name = rel.removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def _is_language_test(node: ast.expr) -> bool:
    """``zh``, ``not zh``, ``lang == "zh"``, ``ctx.lang != "en"``..."""
    if isinstance(node, ast.UnaryOp):
        return _is_language_test(node.operand)
    if isinstance(node, ast.Name):
        return node.id in {"zh", "en", "is_zh", "chinese", "english"}
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:
        sides = [node.left, node.comparators[0]]
        return any(isinstance(s, ast.Constant) and s.value in ("zh", "en") for s in sides)
    return False


def language_ternaries() -> Counter[str]:
    found: Counter[str] = Counter()
    for rel, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.IfExp) and _is_language_test(node.test):
                found[rel] += 1
    return found


def _private_parts(module: str) -> list[str]:
    return [p for p in module.split(".") if p.startswith("_") and not p.startswith("__")]


def private_imports() -> set[str]:
    """Imports of a ``_private`` name defined in another module, and of a ``_private`` module
    from outside the package tree that holds it (osmnx's ``_overpass`` is used by ``graph``)."""
    found = set()
    for rel, tree in _modules().items():
        here = _module_name(rel)

        def inside(owner: str, here: str = here) -> bool:
            return here.startswith(owner + ".")

        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        is_module = (ROOT / target.replace(".", "/")).with_suffix(".py").exists()
                        if not (is_module and inside(node.module)):
                            found.add(f"{rel}: {target}")
                    elif _private_parts(node.module) and not inside(node.module.rsplit(".", 1)[0]):
                        found.add(f"{rel}: {node.module}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    owner = alias.name.rsplit(".", 1)[0]
                    if _private_parts(alias.name) and not inside(owner):
                        found.add(f"{rel}: {alias.name}")
    return found


def long_functions() -> dict[str, int]:
    found = {}
    for rel, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    found[f"{rel}:{node.name}"] = lines
    return found


def test_the_catalogue_says_every_message_in_both_languages_with_the_same_fields() -> None:
    assert check(catalogue()) == []


def test_no_new_language_ternaries() -> None:
    grown = {f: n for f, n in language_ternaries().items() if n > KNOWN_TERNARIES.get(f, 0)}
    assert not grown, (
        f"language ternaries {grown}: put the text in the catalogue (geo/messages) and use tr()"
    )


def test_no_private_name_is_imported_across_modules() -> None:
    new = private_imports() - KNOWN_PRIVATE_IMPORTS
    assert not new, f"private names imported across modules: {sorted(new)}; make them public"


def test_functions_stay_short() -> None:
    long = long_functions()
    api = {k for k in long if k.startswith("api/")} - KNOWN_LONG_API
    assert not api, f"api/ functions over {MAX_LINES} lines: {sorted(api)}"
    assert len(long) <= max(MAX_LONG, KNOWN_LONG), sorted(long.items(), key=lambda kv: -kv[1])
