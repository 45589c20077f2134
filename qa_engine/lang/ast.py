"""Syntax tree of the condition language.

Nodes are frozen dataclasses so that two parses of the same text compare equal
(diffs compare conditions on this tree, not on their text). ``line``/``col`` are
1-based positions in the expression text and take no part in equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Comparison and arithmetic operators as they are written in the language.
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
MEMBERSHIP = ("in", "not in")
ARITHMETIC = ("+", "-", "*", "/")
BOOLEAN = ("and", "or")

# Functions over one list with a bound item variable: `any(o in outcomes: <body>)`.
QUANTIFIERS = ("any", "all", "none")
AGGREGATES = ("count", "sum", "min", "max", "share")


@dataclass(frozen=True)
class Node:
    line: int = field(default=0, compare=False, repr=False, kw_only=True)
    col: int = field(default=0, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Literal(Node):
    """A number, string, boolean or null. Integers stay ``int``; decimals are ``float``."""

    value: int | float | str | bool | None


@dataclass(frozen=True)
class ListLit(Node):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Path(Node):
    """A dotted path. ``var`` is a bound item variable, or None for the dossier root.

    ``credential.title`` -> Path(None, ("credential", "title"));
    ``o.bloom_level`` inside ``any(o in outcomes: ...)`` -> Path("o", ("bloom_level",)).
    """

    var: str | None
    parts: tuple[str, ...]

    def dotted(self) -> str:
        head = (self.var,) if self.var else ()
        return ".".join(head + self.parts)


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" | "-"
    operand: Expr


@dataclass(frozen=True)
class Binary(Node):
    """Comparison, membership, arithmetic or boolean operator (see the op tuples above)."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call(Node):
    """A call to one of the documented functions (exists, empty, len, matches, ...)."""

    func: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Quant(Node):
    """``func(var in source: body)``; for count/sum/min/max ``body`` may be omitted
    (``count(outcomes)``), in which case ``var`` is None."""

    func: str
    var: str | None
    source: Expr
    body: Expr | None


Expr = Literal | ListLit | Path | Unary | Binary | Call | Quant
