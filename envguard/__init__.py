"""envguard: keep production configuration honest.

The public API is small and imports lazily, so ``import envguard`` costs next to nothing:

* ``check_env(mapping=None, schema=None, env=None)`` returns the findings for a mapping
  (``os.environ`` by default);
* ``guard(schema=None, env=None, environ=None)`` raises ``ConfigError`` when they include errors;
* ``ConfigError`` lists keys and problems, never values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["ConfigError", "__version__", "check_env", "guard"]

if TYPE_CHECKING:
    from envguard.api import check_env, guard
    from envguard.errors import ConfigError


def __getattr__(name: str) -> Any:
    if name in ("check_env", "guard"):
        from envguard import api

        return getattr(api, name)
    if name == "ConfigError":
        from envguard.errors import ConfigError

        return ConfigError
    raise AttributeError(f"module 'envguard' has no attribute {name!r}")
