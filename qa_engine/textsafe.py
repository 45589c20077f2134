"""Text from dossiers, files and users, made safe for a terminal and for one-line outputs.

A dossier title, a file or zip member name, a reviewer's name or reason can hold
ANSI/OSC escape sequences (that recolour, retitle or rewrite a terminal), a carriage
return (that overwrites what was printed before) or a newline (that forges a line of
its own, e.g. a fake ``history`` entry). Every text output path passes user text
through this module, so that such characters are *shown*, escaped as ``\\x1b``,
``\\r``, ``\\n``, ``\\u202e``, never interpreted:

* :func:`safe_line` for anything printed on one line (summaries, error messages,
  file names, progress): every control character is escaped, newlines included;
* :func:`safe_text` for multi-line text that qa-engine lays out itself: newlines and
  tabs stay, every other control character is escaped;
* :func:`safe_markup` for HTML and XML documents;
* :func:`safe_json` for JSON printed to a terminal: JSON escapes C0 characters itself,
  not DEL, C1 or the Unicode line separators, which it therefore writes as ``\\uXXXX``
  (the same JSON value).

Escaped are the C0 controls, DEL, the C1 controls, the Unicode line and paragraph
separators and the bidirectional embedding/override/isolate characters (which can
make a terminal show text in another order than it is written: "Trojan Source").
"""

from __future__ import annotations

import re

#: Characters never written raw: C0, DEL, C1, line/paragraph separators, bidi controls.
_OTHERS = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_LINE_UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
#: the same, but tab and newline stay
_TEXT_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _esc(m: re.Match[str]) -> str:
    return _escape(m.group(0))


def safe_line(text: object) -> str:
    """``text`` on one line: every control character escaped (``\\n``, ``\\x1b``, ...)."""
    s = text if isinstance(text, str) else str(text)
    return _LINE_UNSAFE.sub(_esc, s) if _LINE_UNSAFE.search(s) else s


def safe_text(text: object) -> str:
    """``text`` with its newlines and tabs kept and every other control character escaped."""
    s = text if isinstance(text, str) else str(text)
    return _TEXT_UNSAFE.sub(_esc, s) if _TEXT_UNSAFE.search(s) else s


def safe_json(text: str) -> str:
    """JSON text with DEL, C1 and separator characters written as ``\\uXXXX`` escapes.

    Valid for any JSON document: outside strings JSON has no such characters, and
    inside strings the escape denotes the same character."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if _JSON_UNSAFE.search(text) else text


_MARKUP_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_markup(text: str) -> str:
    """An HTML or XML document with its C0 (but tab and newline), DEL and C1 characters
    shown as visible ``\\x1b`` text: invalid in HTML anyway, and raw on a terminal
    when a report is printed to stdout. (Bidirectional marks stay: a page may need
    them for right-to-left text, and a browser shows them as intended.)"""
    return _MARKUP_UNSAFE.sub(_esc, text) if _MARKUP_UNSAFE.search(text) else text


def has_unsafe(text: str, *, allow_newlines: bool = False) -> bool:
    """Does ``text`` hold a character these functions would escape?"""
    return bool((_TEXT_UNSAFE if allow_newlines else _LINE_UNSAFE).search(text))


__all__ = ["has_unsafe", "safe_json", "safe_line", "safe_markup", "safe_text"]
