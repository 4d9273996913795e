"""The ``schema`` family (EG9xx): what the app's schema requires, and the shape of each value.

``presence`` (EG901, EG902, EG909, EG920): required, empty, deprecated and example keys; ``format``
(EG903-EG905): types, choices, patterns; ``policy`` (EG906-EG908): lengths, forbidden and pinned
values; ``placeholders`` (EG910-EG912): values left as in the guide.
"""

from __future__ import annotations

from envguard.rules.base import Rule
from envguard.rules.schema import format, placeholders, policy, presence

RULES: tuple[type[Rule], ...] = (*presence.RULES, *format.RULES, *policy.RULES, *placeholders.RULES)
