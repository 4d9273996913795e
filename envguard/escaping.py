"""Text from strangers: held as valid text, and shown on a terminal for what it is.

``to_text`` takes any string Python can hold: the lone surrogates by which Python keeps bytes that
are not UTF-8 (``os.environ``, a JSON ``\\udcff`` escape) become U+FFFD, which EG110 reports, so
that no rule meets a string it cannot encode.

Key names, file names and (where a rule shows one) values come from files written by someone
else. A control character in them (an ESC starting a colour or cursor sequence, a carriage
return, a backspace, a C1 control) could rewrite what a terminal shows; a bidirectional override
can reorder it (Trojan Source). ``escape`` writes each such character as its Python escape
(``\\x1b``, ``\\u202e``), so the line is printed as one line that says what is there.
"""

from __future__ import annotations

_SHOWN = {
    **{code: f"\\x{code:02x}" for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))},
    **{code: f"\\u{code:04x}" for code in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def to_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (the bytes it stood for, decoded)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")  # the bytes a process really holds
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogatepass")  # a surrogate no byte stands for
        return raw.decode("utf-8", "replace")


def escape(text: str) -> str:
    """``text`` with control, line-separator and bidirectional-override characters escaped."""
    return text.translate(_SHOWN) if not text.isprintable() else text
