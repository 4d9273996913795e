"""The ``leak`` family (EG3xx): secrets where they will be published.

``examples`` (EG301-EG309): real credentials in example files; ``encryption`` (EG310-EG319):
plaintext where the repository expects encryption; ``deploy`` (EG320-EG329): secrets written into
committed deployment config; ``git`` (EG330-EG339): env files git tracks, would commit, or keeps
in its history.
"""

from __future__ import annotations

from envguard.rules.base import Rule
from envguard.rules.leak import deploy, encryption, examples, git

RULES: tuple[type[Rule], ...] = (*examples.RULES, *encryption.RULES, *deploy.RULES, *git.RULES)
