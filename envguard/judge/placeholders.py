"""Placeholders: a value that visibly stands in for the real one, secret or not.

Templates are written in many languages and case styles, so a value is cut into words (at
``-``, ``_``, ``.``, spaces and other punctuation, and at camelCase humps: ``changeRunnerAuthToken``
is *change runner auth token*) and read for the cues template authors use:

* markers: ``placeholder``, ``dummy``, ``fake``, ``example``, ``todo``, ``changeme``... (and
  ``ejemplo``, ``exemplo``, ``exemple``, ``Beispiel``, ``пример``, ``приклад``);
* "your ..." (``your-api-key``, ``yourdomain.com``; ``tu_clave``, ``sua_senha``, ``votre_clé``,
  ``dein_passwort``, ``ваш_пароль``) and "... here" (``PUT_TOKEN_HERE``, ``clave_aqui``, ``ici``,
  ``hier``, ``здесь``, ``тут``);
* an instruction: ``change-me``, ``replace_with_real``, ``REPLACE_BACKEND_DOMAIN``,
  ``generate-with-openssl``, ``cambiar``, ``altere``, ``remplacez``, ``ändern``, ``замените``,
  ``змініть``;
* frames and fillers: ``<secret>``, ``{{ SECRET }}``, ``[YOUR-KEY]``, ``!!!SET X!!!``, ``***``,
  ``...``, runs of ``xxxx``, a variable's own name as its value (``STRIPE_SECRET_KEY``);
* descriptive filler: a few plain words that describe a secret instead of being one
  (``secure_password``, ``app-specific-password``, ``long-and-random-string``,
  ``this_password_is_insecure_and_should_be_updated``).

Every test here runs in time linear in the value.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\W_]+")
_CAMEL = re.compile(r"[a-z]+(?:[A-Z][a-z]+)+|(?:[A-Z][a-z]+){2,}")
#: camelCase as people write it has a word of four letters or more; random text rarely does
_LONG_HUMP = re.compile(r"[a-z]{4}")
_HUMP = re.compile(r"[A-Z]?[a-z]+")
#: "your" at a word's start, as a word of its own or run into the noun it is about (``yourdomain``)
_ENGLISH_YOUR = re.compile(
    r"(?<![a-z0-9])your(?:[^a-z0-9]|$|(?=domain|app|company|site|project|email|mail|name|host|server|org"
    r"|key|secret|password|pass|token|api|db|database|bucket|account|user|bot|chat|id|url|webhook|dsn|"
    r"tenant|region|actual|real|own|super|strong|secure|long|random|new|prod))"
)
_XRUN = re.compile(r"x+|X+")
_MARKERS = frozenset(
    {
        "placeholder",
        "placeholders",
        "dummy",
        "fake",
        "sample",
        "example",
        "redacted",
        "todo",
        "tbd",
        "fixme",
        "notreal",
        "changeme",
        "changethis",
        "changeit",
        "replaceme",
        "replacethis",
        "fillme",
        "fillthis",
        "notset",
        "unset",
        "tobemodified",
        "tobechanged",
        "modifyme",
        "ejemplo",
        "exemplo",
        "exemple",
        "beispiel",
        "пример",
        "приклад",
        "заглушка",
        "cambiame",
        "cámbiame",
    }
)
_POSSESSIVES = frozenset(
    {
        "tu",
        "tus",
        "su",
        "sus",
        "sua",
        "seu",
        "suas",
        "seus",
        "votre",
        "vos",
        "ton",
        "dein",
        "deine",
        "deinen",
        "ihr",
        "ihre",
        "ihren",
        "ваш",
        "ваша",
        "ваше",
        "ваши",
        "твой",
        "твоя",
        "твій",
        "твоє",
        "свій",
        "свой",
    }
)
_HERE = frozenset({"here", "aqui", "aquí", "ici", "hier", "здесь", "сюда", "тут", "сюди"})
#: what a possessive is about, in the template languages: "tu clave", "sua senha", "ваш пароль"
_NOUNS = frozenset(
    {
        "clave",
        "contraseña",
        "contrasena",
        "senha",
        "chave",
        "token",
        "mot",
        "cle",
        "clé",
        "passwort",
        "kennwort",
        "schluessel",
        "schlüssel",
        "пароль",
        "токен",
        "ключ",
        "секрет",
        "email",
        "correo",
        "dominio",
        "domínio",
        "domaine",
        "domain",
        "empresa",
        "firma",
        "entreprise",
        "société",
        "nombre",
        "nome",
        "nom",
        "name",
        "usuario",
        "usuário",
        "utilisateur",
        "benutzer",
        "логин",
        "почта",
        "api",
        "key",
        "secret",
        "password",
        "app",
        "aplicación",
        "aplicação",
        "proyecto",
        "projeto",
        "projet",
        "projekt",
        "проект",
        "bot",
        "бота",
        "бот",
        "chat",
        "чат",
        "id",
        "servidor",
        "serveur",
        "host",
        "сервер",
        "сайт",
        "site",
        "dirección",
        "endereço",
        "adresse",
        "адрес",
        "número",
        "numero",
        "номер",
        "cuenta",
        "conta",
        "compte",
        "konto",
        "аккаунт",
        "акаунт",
        "почту",
        "пошта",
        "ключа",
        "токена",
    }
)
_IMPERATIVES = frozenset(
    {
        "change",
        "replace",
        "fill",
        "set",
        "insert",
        "enter",
        "put",
        "paste",
        "add",
        "generate",
        "update",
        "use",
        "provide",
        "specify",
        "define",
        "configure",
        "create",
        "obtain",
        "type",
        "write",
        "modify",
    }
)
#: instructions in the other template languages: distinctive enough to need no target word
_FOREIGN_IMPERATIVES = frozenset(
    {
        "cambiar",
        "cambia",
        "reemplazar",
        "reemplaza",
        "poner",
        "introduce",
        "ingrese",
        "ingresa",
        "altere",
        "alterar",
        "troque",
        "trocar",
        "substitua",
        "substituir",
        "coloque",
        "insira",
        "defina",
        "changez",
        "changer",
        "remplacez",
        "remplacer",
        "mettez",
        "entrez",
        "saisissez",
        "définir",
        "ändern",
        "aendern",
        "ändere",
        "ersetzen",
        "ersetze",
        "eintragen",
        "einfügen",
        "einfuegen",
        "замените",
        "заменить",
        "измените",
        "изменить",
        "поменяйте",
        "укажите",
        "вставьте",
        "введите",
        "змініть",
        "замініть",
        "вкажіть",
        "вставте",
        "введіть",
    }
)
#: what an instruction is about: a word among these after the verb makes it a placeholder
_TARGETS = frozenset(
    {
        "me",
        "this",
        "it",
        "here",
        "with",
        "value",
        "secret",
        "password",
        "pass",
        "key",
        "token",
        "domain",
        "url",
        "host",
        "your",
        "real",
        "actual",
        "own",
        "something",
        "random",
        "strong",
        "secure",
        "backend",
        "frontend",
        "credential",
        "credentials",
        "string",
        "phrase",
        "passphrase",
        "dsn",
        "later",
    }
)
#: secret nouns in the other template languages: one followed by more words describes a secret
_FOREIGN_NOUNS = frozenset(
    {
        "пароль",
        "senha",
        "contraseña",
        "contrasena",
        "clave",
        "passwort",
        "kennwort",
        "ключ",
        "токен",
        "секрет",
        "schluessel",
        "schlüssel",
        "chave",
    }
)
#: words that size a secret: a filler that says how long the secret must be may carry the number
_SIZES = frozenset({"characters", "chars", "bytes", "bits", "long", "length", "least", "min", "minimum"})
_SECRET_NOUNS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "secret",
        "key",
        "token",
        "passphrase",
        "string",
        "value",
        "credential",
        "credentials",
        "phrase",
    }
)
_ADJECTIVES = frozenset(
    {
        "secure",
        "strong",
        "super",
        "long",
        "random",
        "my",
        "some",
        "default",
        "real",
        "actual",
        "insecure",
        "test",
        "very",
        "generated",
        "new",
        "complex",
        "unique",
        "secret",
        "private",
        "dev",
        "development",
        "local",
    }
)
_FILLER = (
    _SECRET_NOUNS
    | _ADJECTIVES
    | _SIZES
    | frozenset(
        {
            "app",
            "application",
            "specific",
            "database",
            "db",
            "user",
            "and",
            "or",
            "should",
            "be",
            "updated",
            "changed",
            "this",
            "is",
            "the",
            "a",
            "an",
            "our",
            "jwt",
            "auth",
            "access",
            "refresh",
            "public",
            "client",
            "api",
            "admin",
            "root",
            "service",
            "account",
            "session",
            "cookie",
            "signing",
            "encryption",
            "hash",
            "mail",
            "smtp",
            "email",
            "value",
            "characters",
            "chars",
            "at",
            "least",
            "of",
            "for",
            "to",
            "with",
            "in",
            "only",
            "not",
            "do",
            "must",
            "keep",
            "safe",
            "hard",
            "guess",
            "your",
            "here",
            "production",
            "prod",
            "master",
            "webhook",
            "bot",
            "redis",
            "postgres",
            "mysql",
        }
    )
)
_ROLE_TAILS = frozenset({"KEY", "PASSWORD", "SECRET", "TOKEN", "DSN"})
#: every word one of the word-based cues needs at least one of (see ``_cued`` and ``_filler``)
_CUES = (
    _MARKERS
    | _POSSESSIVES
    | _HERE
    | _IMPERATIVES
    | _FOREIGN_IMPERATIVES
    | _FOREIGN_NOUNS
    | _SECRET_NOUNS
    | {"change", "replace", "fill", "not"}
)


def may_hold_cues(text: str) -> bool:
    """Whether some word of ``text`` can be a cue word: a token (or, digits stripped, a marker) is
    one, or a token is camelCase and needs splitting. False means no word-based cue can hold: a
    cheap, exact way to rule most values out before reading their words."""
    for token in _SEPARATORS.split(text):
        lowered = token.lower()
        if lowered in _CUES or lowered.rstrip("0123456789") in _MARKERS:
            return True
        if token.isalpha() and not (token.islower() or token.isupper()) and _CAMEL.fullmatch(token):
            return True
    return False


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``: split at punctuation, and at the humps of clean camelCase
    (``changeRunnerAuthToken``). A run of mixed letters and digits (``suVHdv2x4X33``), as random
    text is, stays one opaque word, so a word inside it is never read as a cue."""
    found: list[str] = []
    for token in _SEPARATORS.split(text):
        if not token:
            continue
        if _CAMEL.fullmatch(token) and _LONG_HUMP.search(token):
            found.extend(w.lower() for w in _HUMP.findall(token))
        elif token.islower() or token.isupper() or token.istitle() or not token.isalpha():
            found.append(token.lower())
        else:
            found.append("~" + token.lower())  # ``FAke``, ``hERE``: letters in random case, no word
    return found


def is_placeholder(value: str, markers: bool = True) -> bool:
    """A visible stand-in for a real value (see the module notes). ``markers=False`` leaves out the
    marker words, for names where a word such as ``sample`` or ``demo`` can be a real name's part
    (a host label: ``sample-foods.com``)."""
    text = value.strip().removeprefix("base64:")
    if not text:
        return False
    if _framed(text) or _x_run(text) or _role_name(text):
        return True
    lowered = text.lower()
    if "your" in lowered and _ENGLISH_YOUR.search(lowered):
        return True
    if not may_hold_cues(text):  # most values: no word of theirs is a cue word
        return False
    found = words(text)
    if not found:
        return False
    if _cued(found, text, markers) or _filler(found):
        return True
    # a URL's host and path are read on their own: ``https://REPLACE_BACKEND_DOMAIN``
    _, sep, rest = text.partition("://")
    return bool(sep and rest) and is_placeholder(rest.split("@")[-1], markers)


def _framed(text: str) -> bool:
    """``<...>``, ``{{...}}``, ``[YOUR KEY]``, ``!!!...!!!``, ``***``, ``...``."""
    if "***" in text or "..." in text or "\u2026" in text or "{{" in text or text.startswith("!!!"):
        return "{{" not in text or "}}" in text.split("{{", 1)[1]
    if text.startswith("<") and text.endswith(">") and len(text) > 2:
        inner = text[1:-1]
        return "@" not in inner and inner[:1].isalnum()
    if "[" in text and "]" in text:
        inner = text[text.index("[") + 1 :]
        inner = inner[: inner.find("]")] if "]" in inner else ""
        return len(inner) >= 3 and inner[:1].isalpha() and all(c.isalnum() or c in " _-" for c in inner)
    return False


def _x_run(text: str) -> bool:
    """A run of ``x`` (or ``X``) of 8 or more, or of 4 or more at a word's edge."""
    if "xxxx" not in text and "XXXX" not in text:
        return False
    for match in _XRUN.finditer(text):
        size = match.end() - match.start()
        if size >= 8:
            return True
        if size >= 4:
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            if not (before.isalnum() and after.isalnum()):
                return True
    return False


def _role_name(text: str) -> bool:
    """A variable's name in capitals as its value: ``STRIPE_SECRET_KEY``, ``YOUR_PASSWORD``."""
    parts = text.split("_")
    if len(parts) < 2 or parts[-1] not in _ROLE_TAILS or not parts[0][:1].isalpha():
        return False
    return all(p and all("A" <= c <= "Z" or "0" <= c <= "9" for c in p) for p in parts)


def _cued(found: list[str], text: str, markers: bool = True) -> bool:
    """Markers, possessives, "here", and instructions, in any of the template languages."""
    # a short marker (``tbd``) inside a longer value is as likely to be chance as a cue
    marked = (w for w in found if w in _MARKERS or w.rstrip("0123456789") in _MARKERS)
    if markers and any(len(w) > 3 or len(found) == 1 for w in marked):
        return True
    if len(found) < 2:
        return False
    # "your [strong] password": a possessive, then the noun within two words
    if any(w in _POSSESSIVES and any(n in _NOUNS for n in found[i + 1 : i + 3]) for i, w in enumerate(found)):
        return True
    if any(w in _FOREIGN_IMPERATIVES for w in found) or (
        found[0] in _FOREIGN_NOUNS and not any(w.isdigit() for w in found)
    ):
        return True
    if found[-1] in _HERE and " " not in text:  # ``PUT_TOKEN_HERE``, not a sentence such as "come here"
        return True
    for index, word in enumerate(found[:-1]):
        following = found[index + 1]
        if word in ("change", "replace", "fill") and following in ("me", "this", "it", "with"):
            return True
        if word == "not" and following == "set":
            return True
    return found[0] in _IMPERATIVES and any(w in _TARGETS for w in found[1:])


def _filler(found: list[str]) -> bool:
    """Plain words describing a secret: all from the filler vocabulary, a secret noun among them,
    no digits, and more than an adjective and a noun unless it starts with an adjective."""
    sized = any(w in _SIZES for w in found)
    if len(found) < 2 or not all(w in _FILLER or (sized and w.isdigit()) for w in found):
        return False
    if not any(w in _SECRET_NOUNS for w in found):
        return False
    return len(found) >= 3 or found[0] in _ADJECTIVES
