"""What reads as a variable name, and how long one may be.

A line's "key" is only a name someone wrote when it looks like one. The "key" of a broken line can
be a line of a pasted secret (a base64 line of a private key ending in `=`, a hex token), and a
message that printed it would leak it; a key longer than any real variable name is a hostile input
for every pattern that looks at keys. ``looks_like_name`` is the one test: the parser makes a line
whose key fails it an error record, and the syntax rules show only keys that pass it.
"""

from __future__ import annotations

import re

#: no real variable name is longer; a longer "key" is a syntax finding, never judged as a variable
MAX_KEY_LENGTH = 255

# a camelCase or PascalCase part of a name: words of letters, digits only at the end
_CAMEL = re.compile(r"(?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z]+)*[0-9]*")
_NAME_CHARS = re.compile(r"[\w.\-]+")
_SEPARATORS = re.compile(r"[_.\-]")
# letters and digits switching three times in one part of a key: a hash or a random token
MANY_SWITCHES = re.compile(r"[^\W\d_][0-9]+[^\W\d_]+[0-9]|[0-9][^\W\d_]+[0-9]+[^\W\d_]")


def looks_like_name(key: str) -> bool:
    """Whether ``key`` reads as a variable name someone wrote, so messages may show it.

    Names are letters, digits, ``_``, ``.`` and ``-``, at most ``MAX_KEY_LENGTH`` long, each
    ``_``/``.``/``-`` part in one case (letters and digits switching at most twice) or in camelCase
    words (digits only at the end): ``OAUTH2``, ``K8S``, ``2FA_SECRET``, ``mail.host``, ``apiKey``.
    A base64 or hex line of a key pasted where a key belongs (``gOeFUvNZfugG4Ra+hY5Q0PI=``) is not
    one; a short random text can pass for one, which is why the parser also keeps the lines of a
    broken key block together.
    """
    if len(key) > MAX_KEY_LENGTH or not _NAME_CHARS.fullmatch(key) or MANY_SWITCHES.search(key):
        return False
    if key.isupper() or key.islower():
        return True
    return all(part.upper() == part or part.lower() == part or _CAMEL.fullmatch(part)
               for part in _SEPARATORS.split(key))
