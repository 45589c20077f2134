"""The words of explanations: what a part of a condition found and what the rule asks.

Every sentence an explanation shows is phrased here, so that the wording is one thing to
read and change: comparisons say "at least 5" rather than ">= 5", a negated test says what
the rule does *not* accept, list items are named by their own id (``assessment A1``) or
title rather than by a 0-based index, text is cut at word boundaries, and empty lists
read as what they mean ("no cohorts recorded").

The evidence table keeps the concrete paths (``assessments[0].rubric_published``): they
say where in the dossier a value was read; the sentences name the items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = [
    "clip",
    "dedupe_clauses",
    "humanize",
    "judged",
    "many",
    "item_name",
    "noun",
    "plural",
    "requirement",
    "scope",
]

#: comparison operators in words, as the rule asks ("it must be at least 5")
_OP_WORDS = {
    ">=": "at least",
    ">": "more than",
    "<=": "at most",
    "<": "less than",
    "==": "",
    "!=": "other than",
}
#: an operator with its sides swapped (``5 <= x`` reads as ``x >= 5``)
FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}
#: an operator negated (``not (x >= 5)`` reads as ``x < 5``)
NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "==": "!=", "!=": "=="}

_STATE_WORDS = {
    "exemplary": "exemplary",
    "met": "met",
    "partially_met": "partially met",
    "not_met": "not met",
    "not_applicable": "not applicable",
    "unknown": "unknown",
    "error": "in error",
}

#: the longest item name shown (a long title is cut at a word boundary)
_NAME_MAX = 48


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with "…"."""
    if len(text) <= limit:
        return text
    head = text[: max(limit - 1, 1)]
    cut = head.rfind(" ")
    if cut >= limit // 2:  # a space in the second half: cut there
        head = head[:cut]
    return head.rstrip(" ,;:") + "…"


def clip_source(source: str, limit: int) -> str:
    """A condition's source cut like :func:`clip`, but never right after a ``not``: a ``not``
    without what it negates reads as if it negated what stands before it (``a and not…``
    becomes ``a and…``)."""
    text = clip(source, limit)
    if text.endswith("…") and text[:-1].endswith((" not", "(not")):
        text = text[:-4].rstrip() + "…"
    return text


def plural(n: int, word: str = "item") -> str:
    """``1 item``, ``2 items``, ``3 activities``."""
    return f"{n} {word if n == 1 else _plural_word(word)}"


def _plural_word(word: str) -> str:
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word == "staff":
        return word
    return word + "s"


@lru_cache(maxsize=4096)
def noun(list_path: str) -> str:
    """The singular noun of a list field: ``modules[0].activities`` -> ``activity``."""
    last = re.sub(r"\[\d+\]", "", list_path).rsplit(".", 1)[-1]
    word = last.replace("_", " ")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=4096)
def nouns(list_path: str) -> str:
    """The plural noun of a list field: ``cohorts`` -> ``cohorts``."""
    return _plural_word(noun(list_path))


def item_name(item: Any, index: int, list_path: str, siblings: list[Any] | None = None) -> str:
    """How a list item is named: by its id, else its title or name, else its position
    counted from 1 (``assessment A1``, ``module "Basics"``, ``cohort 2``). A name that
    another item of ``siblings`` shares gets the position as well."""
    word = noun(list_path)
    if isinstance(item, dict):
        for key, quoted in (("id", False), ("code", False), ("title", True), ("name", True)):
            v = item.get(key)
            if not isinstance(v, (str, int)) or isinstance(v, bool) or not str(v).strip():
                continue
            text = clip(" ".join(str(v).split()), _NAME_MAX)
            name = f'{word} "{text}"' if quoted else f"{word} {text}"
            if siblings is not None and sum(
                1 for s in siblings if isinstance(s, dict) and s.get(key) == v
            ) > 1:
                name += f" (item {index + 1})"
            return name
    return f"{word} {index + 1}"


_SEGMENT = re.compile(r"([A-Za-z_]\w*)((?:\[\d+\])*)")
_INDEX = re.compile(r"\d+")


def name_path(root: Any, path: str) -> str:
    """A concrete path in words: ``modules[1].activities[0].interactive`` ->
    ``interactive of activity 1 in module M2``; a path without list items stays as it is."""
    if "[" not in path:
        return path
    cur: Any = root
    prefix: list[str] = []  # the fields read since the last list item
    items: list[str] = []  # names of the items walked through, outermost first
    for seg in path.split("."):
        m = _SEGMENT.fullmatch(seg)
        if m is None:
            return path
        field, idx = m.group(1), m.group(2)
        cur = cur.get(field) if isinstance(cur, dict) else None
        prefix.append(field)
        for i_text in _INDEX.findall(idx) if idx else ():
            i = int(i_text)
            item = cur[i] if isinstance(cur, list) and i < len(cur) else None
            items.append(item_name(item, i, ".".join(prefix), cur if isinstance(cur, list) else None))
            prefix = []
            cur = item
    where = " in ".join(reversed(items))
    if prefix:
        return f"{'.'.join(prefix)} of {where}"
    return where


# a quoted string (kept as it is) or a path with a list index in it
_TOKENS = re.compile(
    r'"(?:[^"\\]|\\.)*"'
    r"|(?<![\w.])[A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*"
)


def humanize(text: str, root: Any, names: dict[str, str] | None = None) -> str:
    """``text`` with every concrete item path named in words (see ``name_path``);
    quoted values are left alone.

    ``names``: the index of what was already named in this dossier (item path or
    whole text -> words; a bare path is named the same either way), filled as it goes;
    share one dict across the criteria of a dossier so that each path is walked and each
    text rewritten once (and never across dossiers: the names come from ``root``).
    """
    if "[" not in text:
        return text
    if names is not None:
        done = names.get(text)
        if done is None:
            done = names[text] = _humanize(text, root, names)
        return done
    return _humanize(text, root, None)


def _humanize(text: str, root: Any, names: dict[str, str] | None) -> str:
    """``humanize`` without the text cache (item paths still looked up in ``names``)."""
    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok.startswith('"') or "[" not in tok:
            return tok
        if names is None:
            return name_path(root, tok)
        named = names.get(tok)
        if named is None:
            named = names[tok] = name_path(root, tok)
        return named

    return _TOKENS.sub(sub, text)


def dedupe_clauses(clauses: Iterable[str]) -> list[str]:
    """Each fact once: the clauses in first-seen order, repeats dropped, and a clause that
    another one only extends ("x is 3" beside "x is 3 (required: more than 0)") left out."""
    seen = list(dict.fromkeys(c for c in clauses if c))
    if len(seen) < 2:
        return seen
    seen = [c for c in seen if not any(d != c and d.startswith(c) and d[len(c)] in " ,;" for d in seen)]
    # one fact with two requirements ("x is 5 (required: at least 0)", "x is 5 (required:
    # at most 9)") said once: "x is 5 (required: at least 0 and at most 9)"
    out: list[str] = []
    at: dict[str, int] = {}
    for c in seen:
        m = _WITH_REQUIREMENT.match(c)
        if m is None:
            out.append(c)
            continue
        head, need = m.group(1), m.group(2)
        if head in at:
            i = at[head]
            out[i] = out[i][:-1] + f" and {need})"
        else:
            at[head] = len(out)
            out.append(c)
    return out


def judged(fact: str, asked: str, held: bool | None) -> str:
    """A fact with what the rule asks: ``x is 3 (required: more than 0)`` when it held,
    ``x is 0.08, but it must be at least 0.6`` when it did not."""
    if held is False:
        return f"{fact}, but it must be {asked}" if not asked.startswith(("not ", "to ")) else (
            f"{fact}, but it must {asked.removeprefix('to ')}"
            if asked.startswith("to ")
            else f"{fact}, but it must {asked.replace('not to ', 'not ', 1)}"
        )
    return f"{fact} (required: {asked})"


_MUST = re.compile(r", but (it|.+?) must (not )?(be )?")


#: a fact with its requirement: "x is 5 (required: at least 0)"
_WITH_REQUIREMENT = re.compile(r"^(.*) \(required: ([^()]*)\)$")
#: how a ``not (…)`` whose inside held begins its detail (lang/evaluator.py writes it)
HELD_UNDER_NOT = "the rule does not accept this, and it is the case: "
#: the "(required: …)" tail of a comparison's detail
_REQUIRED = re.compile(r" \(required: [^)]*\)")


def scope(detail: str) -> str:
    """A detail of an ``applies_when`` condition that did not hold, said as where the
    criterion applies rather than as a failure: ``x is "a", but it must be "b"`` ->
    ``x is "a"; the criterion applies only where it is "b"``. Under a ``not`` the facts
    inside held, and their "(required: …)" names what rules the criterion OUT: the facts
    alone are shown, then that the criterion does not apply where they are so."""
    if detail.startswith(HELD_UNDER_NOT):
        facts = dedupe_clauses(_REQUIRED.sub("", f.strip()) for f in detail[len(HELD_UNDER_NOT):].split("; "))
        return "; ".join(facts) + "; the criterion does not apply where this is so"
    if detail.endswith(" is missing"):
        return detail + "; the criterion applies only where it is given"
    m = _MUST.search(detail)
    if m is None:
        return detail
    who, neg, be = m.group(1), m.group(2), m.group(3)
    verb = ("is not " if neg else "is ") if be else ("must not " if neg else "must ")
    return f"{detail[: m.start()]}; the criterion applies only where {who} {verb}{detail[m.end():]}"


def requirement(op: str, right: str, *, negated: bool = False) -> str:
    """What a comparison asks, in words: ``at least 5`` (``not`` in front: ``less than 5``)."""
    if negated:
        op = NEGATED[op]
    words = _OP_WORDS[op]
    return f"{words} {right}" if words else right


def many(n: int, list_path: str) -> str:
    """``2 assessments``; a list inside a list item names the item too
    (``1 activity of modules[0]``, which ``humanize`` then names)."""
    text = plural(n, noun(list_path))
    if "[" in list_path:
        text += " of " + list_path.rsplit(".", 1)[0]
    return text


def state_words(state: str | None) -> str:
    """A criterion state as a person says it (``partially met``, ``not evaluated``)."""
    if state is None:
        return "not evaluated"
    return _STATE_WORDS.get(state, state.replace("_", " "))
