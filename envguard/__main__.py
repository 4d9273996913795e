"""``python -m envguard``."""

from envguard.cli import main

main()
