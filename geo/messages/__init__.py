"""The message catalogue: every user-facing sentence, in Simplified Chinese and English.

Code says *what* happened with a code and its parameters (``Note("spots_missing", {"n": 3})``);
this catalogue says it in words. Each module of this package holds the messages of one room
(``layers`` for loading and validation, one per analysis, ``server``, ``cli``, ``maps``...) as a
``MESSAGES`` dict, code -> {"zh": template, "en": template}; :func:`catalogue` merges them, so
adding an analysis adds a module here and touches no other file. Templates use
:meth:`str.format` fields, and both languages of a code name the same fields (checked by
:func:`check`).
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from functools import cache
from typing import Literal

__all__ = ["Catalogue", "catalogue", "check", "fields_of"]

#: A room's messages: code -> language -> template.
Catalogue = dict[str, dict[Literal["zh", "en"], str]]

LANGUAGES: tuple[Literal["zh", "en"], ...] = ("zh", "en")


@cache
def catalogue() -> Catalogue:
    """Every room's messages merged into one catalogue.

    Raises
    ------
    ValueError
        When two rooms define the same code (each code has one meaning).
    """
    merged: Catalogue = {}
    owner: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for code, texts in getattr(module, "MESSAGES", {}).items():
            if code in merged:
                msg = f"message code {code!r} is defined in both {owner[code]} and {info.name}"
                raise ValueError(msg)
            merged[code] = texts
            owner[code] = info.name
    return merged


def fields_of(template: str) -> set[str]:
    """The names of the :meth:`str.format` fields of ``template``.

    Examples
    --------
    >>> sorted(fields_of("{n} 个风险点,{share:.0%}"))
    ['n', 'share']
    """
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


def check(messages: Catalogue) -> list[str]:
    """What is wrong with ``messages``: a language missing or empty, or the two languages of a
    code naming different fields (a field named for a language, ``layer_zh``, may be in one).
    Empty when the catalogue is sound."""
    problems = []
    for code, texts in messages.items():
        missing = [lang for lang in LANGUAGES if not texts.get(lang)]
        if missing:
            problems.append(f"{code}: no text in {', '.join(missing)}")
            continue
        # a field named for a language (``layer_zh``) is optional in either
        zh, en = (
            {f for f in fields_of(texts[lang]) if not f.endswith(("_zh", "_en"))}
            for lang in LANGUAGES
        )
        if zh != en:
            problems.append(f"{code}: zh names {sorted(zh)}, en names {sorted(en)}")
    return problems
