"""Tokenizer and parser of the condition language.

Hand-written: a tokenizer and a precedence-climbing (Pratt) parser. Expression text
is never handed to ``eval``/``exec``/``compile`` or to Python's ``ast`` module.

Precedence, lowest first: ``or``; ``and``; ``not``; comparisons and ``in``/``not in``
(non-associative); ``+ -``; ``* /``; unary ``-``; primaries (literals, lists, paths,
calls, parentheses).
"""

from __future__ import annotations

import difflib
import math
import sys
from dataclasses import dataclass
from typing import Any

from qa_engine.errors import ConditionError
from qa_engine.lang.ast import (
    AGGREGATES,
    COMPARISONS,
    MEMBERSHIP,
    QUANTIFIERS,
    Binary,
    Call,
    Expr,
    ListLit,
    Literal,
    Path,
    Quant,
    Unary,
)

__all__ = [
    "FUNCTIONS",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "QUANT_FUNCTIONS",
    "chain",
    "check_limits",
    "parse",
    "precedence",
]

MAX_LENGTH = 4000
"""Maximum length of an expression text, in characters."""
MAX_NODES = 500
"""Maximum number of syntax-tree nodes in one expression."""
MAX_DEPTH = 50
"""Maximum nesting depth (parentheses, calls, lists, prefix operators, operator levels)."""

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})

FUNCTIONS = (
    "exists",
    "empty",
    "len",
    "matches",
    "contains",
    "startswith",
    "endswith",
    "lower",
    "word_count",
    "date",
    "as_of",
    "days_since",
    "years_since",
    "state",
    "met",
)
"""Plain functions (``Call`` nodes)."""

QUANT_FUNCTIONS = QUANTIFIERS + AGGREGATES
"""Functions over a list with an optional bound item variable (``Quant`` nodes)."""

_BODY_REQUIRED = ("any", "all", "none", "share")

PREC_OR = 1
PREC_AND = 2
PREC_NOT = 3
PREC_CMP = 4
PREC_ADD = 5
PREC_MUL = 6
PREC_NEG = 7
PREC_ATOM = 8

BINARY_PREC: dict[str, int] = {
    "or": PREC_OR,
    "and": PREC_AND,
    **{op: PREC_CMP for op in COMPARISONS + MEMBERSHIP},
    "+": PREC_ADD,
    "-": PREC_ADD,
    "*": PREC_MUL,
    "/": PREC_MUL,
}

# Left-associative operators that form chains (``a + b - c``); comparisons do not chain.
_CHAIN_CLASS = {"or": "or", "and": "and", "+": "add", "-": "add", "*": "mul", "/": "mul"}


def precedence(node: Expr) -> int:
    """Binding strength of the operator at the top of ``node`` (higher binds tighter)."""
    if isinstance(node, Binary):
        return BINARY_PREC[node.op]
    if isinstance(node, Unary):
        return PREC_NOT if node.op == "not" else PREC_NEG
    return PREC_ATOM


def chain(node: Binary) -> tuple[Expr, list[Binary]]:
    """Split a left-associative chain ``a + b - c`` into its first operand and its
    Binary nodes, innermost first, without recursion (chains can be long).

    For an operator that does not chain (comparisons, membership) the result is
    ``(node.left, [node])``.
    """
    cls = _CHAIN_CLASS.get(node.op)
    if cls is None:
        return node.left, [node]
    nodes: list[Binary] = []
    cur: Expr = node
    while isinstance(cur, Binary) and _CHAIN_CLASS.get(cur.op) == cls:
        nodes.append(cur)
        cur = cur.left
    nodes.reverse()
    return cur, nodes


def _children(node: Expr) -> list[tuple[Expr, bool]]:
    """Children of a node, each with whether it continues the node's chain level."""
    if isinstance(node, Binary):
        cls = _CHAIN_CLASS.get(node.op)
        same = (
            cls is not None
            and isinstance(node.left, Binary)
            and _CHAIN_CLASS.get(node.left.op) == cls
        )
        return [(node.left, same), (node.right, False)]
    if isinstance(node, Unary):
        return [(node.operand, False)]
    if isinstance(node, ListLit):
        return [(i, False) for i in node.items]
    if isinstance(node, Call):
        return [(a, False) for a in node.args]
    if isinstance(node, Quant):
        out = [(node.source, False)]
        if node.body is not None:
            out.append((node.body, False))
        return out
    return []


def _limit_error(message: str, node: Expr, hint: str) -> ConditionError:
    return ConditionError(
        message, line=node.line or None, column=node.col or None, hint=hint
    )


def check_limits(expr: Expr) -> None:
    """Enforce the node-count and nesting-depth limits on a syntax tree (iteratively,
    so that even a hand-built, absurdly deep tree is rejected without recursion).

    Depth counts every level of the tree except the links of a left-associative
    chain (``a and b and c`` is one level, however long).
    """
    stack: list[tuple[Any, int]] = [(expr, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _limit_error(
                f"the expression is too large (more than {MAX_NODES} parts)",
                node,
                "split the condition into several criteria or use a list with 'in'",
            )
        if depth > MAX_DEPTH:
            raise _limit_error(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                node,
                "simplify the condition",
            )
        for child, same in _children(node):
            stack.append((child, depth if same else depth + 1))


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num" | "str" | "name" | "kw" | "op" | "eof"
    value: Any
    text: str
    line: int
    col: int
    start: int
    end: int

    def describe(self) -> str:
        if self.kind == "eof":
            return "the end of the expression"
        text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        if self.kind == "str":
            return f"string {text}"
        return f"'{text}'"


_TWO_CHAR_OPS = ("==", "!=", "<=", ">=")
_ONE_CHAR_OPS = "<>+-*/()[],:."
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t", "r": "\r"}
_UNICODE_HINTS = {
    "≥": "write '>=' instead of '≥'",
    "≤": "write '<=' instead of '≤'",
    "≠": "write '!=' instead of '≠'",
    "“": 'use straight double quotes (") around strings',
    "”": 'use straight double quotes (") around strings',
    "‘": "use straight quotes (' or \") around strings",
    "’": "use straight quotes (' or \") around strings",
    "−": "write '-' (the ASCII minus sign)",
    "×": "write '*' for multiplication",
    "÷": "write '/' for division",
}


#: Largest number literal: the largest float (a larger integer cannot take part in
#: arithmetic with decimals, so a condition holding it could only end in ``error``).
_MAX_NUMBER = int(sys.float_info.max)


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_name_start(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z") or c == "_"


def _is_name_char(c: str) -> bool:
    return _is_name_start(c) or _is_digit(c)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line = 1
        self.line_start = 0

    def error(self, message: str, pos: int, hint: str | None = None) -> ConditionError:
        line, col = self.position(pos)
        return ConditionError(message, expression=self.text, line=line, column=col, hint=hint)

    def position(self, pos: int) -> tuple[int, int]:
        # Only called for the current line (tokens never span lines).
        return self.line, pos - self.line_start + 1

    def tokens(self) -> list[Token]:
        text = self.text
        n = len(text)
        out: list[Token] = []
        i = 0
        while i < n:
            c = text[i]
            if c == "\n":
                i += 1
                self.line += 1
                self.line_start = i
                continue
            if c in " \t\r\f\v":
                i += 1
                continue
            line, col = self.position(i)
            if _is_digit(c):
                j = self._number_end(i)
                raw = text[i:j]
                value: Any
                if "." in raw:
                    value = float(raw)
                    if not math.isfinite(value):
                        raise self.error(f"the number {raw[:20]}... is too large", i)
                else:
                    value = int(raw)
                    if value > _MAX_NUMBER:  # like a decimal: beyond any float, never computable
                        raise self.error(f"the number {raw[:20]}... is too large", i)
                out.append(Token("num", value, raw, line, col, i, j))
                i = j
            elif c in "\"'":
                j, value = self._string(i)
                out.append(Token("str", value, text[i:j], line, col, i, j))
                i = j
            elif _is_name_start(c):
                j = i + 1
                while j < n and _is_name_char(text[j]):
                    j += 1
                word = text[i:j]
                if word.startswith("_"):
                    raise self.error(
                        f"names may not start with '_' ('{word}')",
                        i,
                        "dossier fields and functions never start with an underscore",
                    )
                kind = "kw" if word in KEYWORDS else "name"
                out.append(Token(kind, word, word, line, col, i, j))
                i = j
            else:
                two = text[i : i + 2]
                if two in _TWO_CHAR_OPS:
                    out.append(Token("op", two, two, line, col, i, i + 2))
                    i += 2
                elif c in _ONE_CHAR_OPS:
                    out.append(Token("op", c, c, line, col, i, i + 1))
                    i += 1
                else:
                    raise self._bad_char(c, i)
        line, col = self.position(n)
        out.append(Token("eof", None, "", line, col, n, n))
        return out

    def _bad_char(self, c: str, i: int) -> ConditionError:
        if c == "=":
            return self.error("unexpected '='", i, "use '==' to compare two values")
        if c == "!":
            return self.error("unexpected '!'", i, "use 'not' to negate a condition, '!=' for 'not equal'")
        if c == "&":
            return self.error("unexpected '&'", i, "use 'and' to combine conditions")
        if c == "|":
            return self.error("unexpected '|'", i, "use 'or' to combine conditions")
        if c == "#":
            return self.error("unexpected '#'", i, "conditions cannot contain comments")
        if c in _UNICODE_HINTS:
            return self.error(f"unexpected character '{c}'", i, _UNICODE_HINTS[c])
        shown = c if c.isprintable() else repr(c)
        return self.error(f"unexpected character '{shown}'", i)

    def _number_end(self, i: int) -> int:
        text = self.text
        n = len(text)
        j = i
        while j < n and _is_digit(text[j]):
            j += 1
        if j < n and text[j] == ".":
            if j + 1 < n and _is_digit(text[j + 1]):
                j += 1
                while j < n and _is_digit(text[j]):
                    j += 1
            else:
                raise self.error(
                    "a decimal point must be followed by digits",
                    j,
                    f"write {text[i:j]}.0 or {text[i:j]}",
                )
        if j < n and (_is_name_char(text[j]) or text[j].isalnum()):
            if text[j] in "eE" and j + 1 < n and (_is_digit(text[j + 1]) or text[j + 1] in "+-"):
                raise self.error(
                    f"exponent notation ('{text[i:j + 1]}...') is not supported",
                    i,
                    "write the number out in full, e.g. 100000 or 0.00001",
                )
            k = j
            while k < n and (_is_name_char(text[k]) or text[k].isalnum()):
                k += 1
            raise self.error(
                f"invalid number '{text[i:k]}'",
                i,
                "numbers are written like 5 or 0.8; names cannot start with a digit",
            )
        return j

    def _string(self, i: int) -> tuple[int, str]:
        text = self.text
        n = len(text)
        quote = text[i]
        j = i + 1
        buf: list[str] = []
        while True:
            if j >= n:
                raise self.error("unterminated string", i, f"close it with {quote}")
            ch = text[j]
            if ch == quote:
                return j + 1, "".join(buf)
            if ch == "\n":
                raise self.error(
                    "unterminated string (a string cannot continue on the next line)",
                    i,
                    f"close it with {quote} on the same line; write \\n for a line break",
                )
            if ch == "\\":
                if j + 1 >= n:
                    raise self.error("unterminated string", i, f"close it with {quote}")
                esc = text[j + 1]
                if esc in _ESCAPES:
                    buf.append(_ESCAPES[esc])
                elif esc == "\n":
                    raise self.error(
                        "unterminated string (a string cannot continue on the next line)", i
                    )
                else:
                    # Unknown escapes keep their backslash, so regular expressions such
                    # as "\d+" read naturally.
                    buf.append("\\" + esc)
                j += 2
                continue
            buf.append(ch)
            j += 1


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (ending with an ``eof`` token)."""
    return _Lexer(text).tokens()


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.pos = 0
        self.depth = 0
        self.nodes = 0
        self.bound: list[str] = []
        self.free_paren = False  # the next '(' is the operand of a unary '-'

    # -- helpers
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def advance(self) -> Token:
        tok = self.toks[self.pos]
        if tok.kind != "eof":
            self.pos += 1
        return tok

    def is_op(self, tok: Token, value: str) -> bool:
        return tok.kind == "op" and tok.value == value

    def is_kw(self, tok: Token, value: str) -> bool:
        return tok.kind == "kw" and tok.value == value

    def error(self, message: str, tok: Token, hint: str | None = None) -> ConditionError:
        return ConditionError(
            message, expression=self.text, line=tok.line, column=tok.col, hint=hint
        )

    def expect(self, value: str, hint: str | None = None) -> Token:
        tok = self.advance()
        if not self.is_op(tok, value):
            raise self.error(f"expected '{value}' but found {tok.describe()}", tok, hint)
        return tok

    def make(self, cls: type, *args: Any, tok: Token) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(
                f"the expression is too large (more than {MAX_NODES} parts)",
                tok,
                "split the condition into several criteria or use a list with 'in'",
            )
        return cls(*args, line=tok.line, col=tok.col)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(
                f"the expression is nested too deeply (more than {MAX_DEPTH} levels)",
                tok,
                "simplify the condition",
            )

    def leave(self) -> None:
        self.depth -= 1

    # -- grammar
    def parse(self) -> Expr:
        if self.peek().kind == "eof":
            raise self.error("the condition is empty", self.peek(), "write an expression such as exists(credential.title)")
        expr = self.expr(PREC_OR)
        tok = self.peek()
        if tok.kind != "eof":
            hint = None
            if tok.kind in ("name", "num", "str") or self.is_op(tok, "("):
                hint = "combine conditions with 'and' or 'or'"
            raise self.error(f"expected the end of the expression but found {tok.describe()}", tok, hint)
        return expr

    def binop(self) -> tuple[str, int, int] | None:
        tok = self.peek()
        if tok.kind == "kw":
            if tok.value in ("and", "or", "in"):
                return tok.value, BINARY_PREC[tok.value], 1
            if tok.value == "not" and self.is_kw(self.peek(1), "in"):
                return "not in", PREC_CMP, 2
        elif tok.kind == "op" and tok.value in BINARY_PREC:
            return tok.value, BINARY_PREC[tok.value], 1
        return None

    def expr(self, min_prec: int) -> Expr:
        left = self.prefix(min_prec)
        last_was_comparison = False
        while True:
            found = self.binop()
            if found is None:
                break
            op, prec, ntoks = found
            if prec < min_prec:
                break
            tok = self.peek()
            if prec == PREC_CMP and last_was_comparison:
                raise self.error(
                    f"comparisons cannot be chained ('{op}' after another comparison)",
                    tok,
                    "combine them with 'and', e.g. 'a < b and b < c'",
                )
            for _ in range(ntoks):
                self.advance()
            right = self.expr(prec + 1)
            left = self.make(Binary, op, left, right, tok=tok)
            last_was_comparison = prec == PREC_CMP
        return left

    def prefix(self, min_prec: int) -> Expr:
        tok = self.peek()
        if self.is_kw(tok, "not"):
            if min_prec > PREC_NOT:
                raise self.error(
                    "'not' must be put in parentheses here",
                    tok,
                    "write '(not ...)', or use 'not in' for membership",
                )
            self.advance()
            self.enter(tok)
            operand = self.expr(PREC_NOT)
            self.leave()
            return self.make(Unary, "not", operand, tok=tok)
        if self.is_op(tok, "-"):
            self.advance()
            self.enter(tok)
            # in "-(...)" the parentheses are no level of the tree, so they do not count
            # as one more (the canonical text of "- -a" is "-(-a)": it must parse back)
            self.free_paren = self.is_op(self.peek(), "(")
            operand = self.expr(PREC_NEG)
            self.leave()
            return self.make(Unary, "-", operand, tok=tok)
        return self.primary()

    def primary(self) -> Expr:
        tok = self.advance()
        if tok.kind in ("num", "str"):
            return self.make(Literal, tok.value, tok=tok)
        if tok.kind == "kw" and tok.value in ("true", "false", "null"):
            value = {"true": True, "false": False, "null": None}[tok.value]
            return self.make(Literal, value, tok=tok)
        if self.is_op(tok, "("):
            free, self.free_paren = self.free_paren, False
            if not free:
                self.enter(tok)
            inner = self.expr(PREC_OR)
            self.expect(")", f"add ')' to close the '(' at line {tok.line}, column {tok.col}")
            if not free:
                self.leave()
            return inner
        if self.is_op(tok, "["):
            return self.list_literal(tok)
        if tok.kind == "name":
            if self.is_op(self.peek(), "("):
                return self.call(tok)
            return self.path(tok)
        hint = None
        if tok.kind == "kw" and tok.value in ("and", "or", "in"):
            hint = f"'{tok.value}' needs an expression on both sides"
        raise self.error(f"expected an expression but found {tok.describe()}", tok, hint)

    def list_literal(self, open_tok: Token) -> Expr:
        self.enter(open_tok)
        items: list[Expr] = []
        if self.is_op(self.peek(), "]"):
            self.advance()
        else:
            while True:
                items.append(self.expr(PREC_OR))
                tok = self.advance()
                if self.is_op(tok, "]"):
                    break
                if not self.is_op(tok, ","):
                    raise self.error(f"expected ',' or ']' but found {tok.describe()}", tok)
                if self.is_op(self.peek(), "]"):  # trailing comma
                    self.advance()
                    break
        self.leave()
        return self.make(ListLit, tuple(items), tok=open_tok)

    def path(self, first: Token) -> Expr:
        parts = [first.value]
        last = first
        while self.is_op(self.peek(), "."):
            dot = self.advance()
            if dot.start != last.end:
                raise self.error("no spaces are allowed before '.' in a path", dot)
            tok = self.advance()
            if tok.kind != "name":
                raise self.error(f"expected a field name after '.' but found {tok.describe()}", tok)
            if tok.start != dot.end:
                raise self.error("no spaces are allowed after '.' in a path", tok)
            parts.append(tok.value)
            last = tok
        if len(parts) > 1 and self.is_op(self.peek(), "("):
            raise self.error(
                f"'{'.'.join(parts)}' cannot be called: only the documented functions can",
                last,
                f"e.g. lower({'.'.join(parts[:-1])}) or len({'.'.join(parts[:-1])})",
            )
        if parts[0] in self.bound:
            return self.make(Path, parts[0], tuple(parts[1:]), tok=first)
        return self.make(Path, None, tuple(parts), tok=first)

    def call(self, name_tok: Token) -> Expr:
        name = name_tok.value
        if name in QUANT_FUNCTIONS:
            return self.quant(name_tok)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, FUNCTIONS + QUANT_FUNCTIONS, n=1)
            hint = f"did you mean {close[0]}()?" if close else None
            known = ", ".join(FUNCTIONS + QUANT_FUNCTIONS)
            hint = f"{hint + ' ' if hint else ''}the functions are: {known}"
            raise self.error(f"unknown function '{name}'", name_tok, hint)
        self.advance()  # '('
        self.enter(name_tok)
        args: list[Expr] = []
        if self.is_op(self.peek(), ")"):
            self.advance()
        else:
            while True:
                args.append(self.expr(PREC_OR))
                tok = self.advance()
                if self.is_op(tok, ")"):
                    break
                if not self.is_op(tok, ","):
                    raise self.error(
                        f"expected ',' or ')' but found {tok.describe()}",
                        tok,
                        f"close the call to {name}() with ')'",
                    )
        self.leave()
        return self.make(Call, name, tuple(args), tok=name_tok)

    def quant(self, name_tok: Token) -> Expr:
        func = name_tok.value
        self.advance()  # '('
        self.enter(name_tok)
        first, second = self.peek(), self.peek(1)
        if first.kind == "name" and self.is_kw(second, "in"):
            var = first.value
            if var in self.bound:
                raise self.error(
                    f"'{var}' is already bound by an enclosing quantifier",
                    first,
                    "choose a different name for the inner item",
                )
            self.advance()
            self.advance()
            source = self.source(func)
            self.expect(":", f"write {func}({var} in list: expression)")
            self.bound.append(var)
            body = self.expr(PREC_OR)
            self.bound.pop()
            self.expect(")", f"close {func}(...) with ')'")
            self.leave()
            return self.make(Quant, func, var, source, body, tok=name_tok)
        if func in _BODY_REQUIRED:
            raise self.error(
                f"{func}() needs an item variable and a condition",
                first,
                f"write {func}(x in list: condition)",
            )
        source = self.source(func)
        self.expect(
            ")", f"{func}() takes one list path, or 'x in list: expression'"
        )
        self.leave()
        return self.make(Quant, func, None, source, None, tok=name_tok)

    def source(self, func: str) -> Expr:
        tok = self.advance()
        if tok.kind != "name":
            raise self.error(
                f"expected the path of a list but found {tok.describe()}",
                tok,
                f"{func}() works on a list in the dossier, e.g. {func}(o in outcomes: ...)",
            )
        if self.is_op(self.peek(), "("):
            raise self.error(
                f"the list of {func}() must be a path, not a function call", tok
            )
        return self.path(tok)


def parse(text: str) -> Expr:
    """Parse a condition expression. Raises ConditionError with the 1-based line and
    column (relative to ``text``) of the offending token."""
    if not isinstance(text, str):
        raise ConditionError(
            f"a condition must be text, not {type(text).__name__}",
            hint="quote the expression in the YAML file",
        )
    if len(text) > MAX_LENGTH:
        line = text.count("\n", 0, MAX_LENGTH) + 1
        col = MAX_LENGTH - (text.rfind("\n", 0, MAX_LENGTH) + 1) + 1
        raise ConditionError(
            f"the expression is too long ({len(text)} characters; the limit is {MAX_LENGTH})",
            expression=text[:200],
            line=line,
            column=col,
            hint="split the condition into several criteria",
        )
    expr = _Parser(text).parse()
    check_limits(expr)
    return expr
