"""Canonical source text of a condition syntax tree.

``to_source`` normalises spacing, uses double-quoted strings and puts in only the
parentheses that precedence requires, so that ``parse(to_source(e)) == e``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from qa_engine.lang.ast import Binary, Call, Expr, ListLit, Literal, Path, Quant, Unary
from qa_engine.lang.parser import PREC_CMP, PREC_NEG, PREC_NOT, chain, precedence
from qa_engine.lang.wording import clip

__all__ = ["format_literal", "format_value", "quote", "to_source"]

_LEFT_ASSOC = frozenset({"or", "and", "+", "-", "*", "/"})


def quote(text: str) -> str:
    """A double-quoted string literal of the language for ``text``."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _format_float(value: float) -> str:
    if not math.isfinite(value):
        return repr(value)
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text


def format_literal(value: Any) -> str:
    """Source text of a literal value (``null``, ``true``, ``5``, ``0.8``, ``"a"``)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, str):
        return quote(value)
    raise TypeError(f"not a literal value: {value!r}")


def format_value(value: Any, *, max_items: int = 10, max_chars: int = 80) -> str:
    """A short human rendering of a dossier value for explanations."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        text = f"{value:.6g}"
        return _format_float(value) if "e" in text else text
    if isinstance(value, str):
        return quote(clip(value, max_chars))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{...}"
    if isinstance(value, (list, tuple)):
        shown = [format_value(v, max_items=3, max_chars=40) for v in value[:max_items]]
        if len(value) > max_items:
            shown.append(f"... {len(value) - max_items} more")
        return "[" + ", ".join(shown) + "]"
    return str(value)


def to_source(expr: Expr, *, bindings: Mapping[str, str] | None = None) -> str:
    """Canonical text of ``expr``.

    ``bindings`` optionally replaces bound item variables by concrete paths
    (``{"a": "assessments[2]"}`` prints ``a.weight`` as ``assessments[2].weight``);
    the result is then meant for people, not for parsing.
    """
    if bindings:
        return _src(expr, bindings)
    # Trees are immutable and printed over and over (explanations, engine field keys):
    # keep the text on the node itself. The attribute is not a dataclass field, so it
    # takes no part in equality or hashing.
    cached = expr.__dict__.get("_source")
    if cached is None:
        cached = _src(expr, {})
        object.__setattr__(expr, "_source", cached)
    return cached


def _wrap(node: Expr, paren: bool, b: Mapping[str, str]) -> str:
    text = _src(node, b)
    return f"({text})" if paren else text


def _src(node: Expr, b: Mapping[str, str]) -> str:
    if isinstance(node, Literal):
        return format_literal(node.value)
    if isinstance(node, Path):
        if node.var is None:
            return ".".join(node.parts)
        head = b.get(node.var, node.var)
        return ".".join((head, *node.parts))
    if isinstance(node, ListLit):
        return "[" + ", ".join(_src(i, b) for i in node.items) + "]"
    if isinstance(node, Unary):
        operand = node.operand
        if node.op == "not":
            return "not " + _wrap(operand, precedence(operand) < PREC_NOT, b)
        negative_literal = (
            isinstance(operand, Literal)
            and isinstance(operand.value, (int, float))
            and not isinstance(operand.value, bool)
            and (operand.value < 0 or math.copysign(1.0, operand.value) < 0)
        )
        paren = (
            precedence(operand) < PREC_NEG
            or (isinstance(operand, Unary) and operand.op == "-")
            or negative_literal
        )
        return "-" + _wrap(operand, paren, b)
    if isinstance(node, Binary):
        prec = precedence(node)
        first, links = chain(node)
        strict_left = node.op in _LEFT_ASSOC
        first_prec = precedence(first)
        paren_first = first_prec < prec if strict_left else first_prec <= prec
        if prec == PREC_CMP and first_prec == PREC_CMP:
            paren_first = True
        parts = [_wrap(first, paren_first, b)]
        for link in links:
            parts.append(link.op)
            parts.append(_wrap(link.right, precedence(link.right) <= prec, b))
        return " ".join(parts)
    if isinstance(node, Call):
        return f"{node.func}(" + ", ".join(_src(a, b) for a in node.args) + ")"
    if isinstance(node, Quant):
        if node.var is None:
            return f"{node.func}({_src(node.source, b)})"
        body = _src(node.body, b) if node.body is not None else "..."
        return f"{node.func}({node.var} in {_src(node.source, b)}: {body})"
    raise TypeError(f"not a condition syntax tree node: {node!r}")
