"""``python -m envguard``."""

from envguard.launch import main

main()
