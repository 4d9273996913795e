"""Shared pytest configuration; fixture modules are registered as plugins.

Hypothesis runs with a fixed seed and no example database by default (``ci``), so that every run
of the suite tries the same inputs; ``--hypothesis-profile=long`` draws fresh random inputs, ten
thousand per fuzzed input kind (``pytest -m fuzz --hypothesis-profile=long``, README: Development).
"""

from hypothesis import settings

pytest_plugins = ["fixtures_vault", "servers.fixtures", "fixtures_cli", "fixtures_dotenvx"]

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("long", max_examples=10_000, print_blob=True)
settings.load_profile("ci")
