"""Shared pytest configuration; fixture modules are registered as plugins."""

pytest_plugins = ["fixtures_vault", "servers.fixtures", "fixtures_cli", "fixtures_dotenvx"]
