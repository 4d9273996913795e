"""The judgement core: one definition for each question every rule, source and command asks.

Each module answers one kind of question with pure functions over strings, and each has one
table test in ``tests/judge/`` with as many rows that must not match as rows that must:

* ``names``: what a variable's name says it holds (``roles.NameRole``);
* ``values``: what a value is (empty, an "unset" literal, a boolean, a number, a reference the
  platform or shell resolves, or a literal) and how frameworks read switches;
* ``roles``: the role of a variable, decided once from the schema, then the name, then the value;
* ``placeholders``: visible stand-ins, in every language templates are written in;
* ``formats``: provider credential formats, JWT claims and provider secrets of a fixed shape;
* ``defaults``: values published in the templates and docs of well-known projects;
* ``strength``: how guessable a secret is (human-chosen) and how much randomness it holds;
* ``guessing``: when zxcvbn's estimate is surely 10^10 guesses or more, proved without its
  dictionary passes;
* ``hosts``: local, private, reserved and public hosts, and the URLs and connection strings that
  name them;
* ``envnames``: what each framework treats as the production environment.

Nothing here does I/O, keeps state between calls, or imports anything heavy at import time
(zxcvbn is imported on first use; ``guessing`` keeps the prefixes of zxcvbn's word lists, read
once, which are zxcvbn's data, not answers).
"""
