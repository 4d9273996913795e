"""Pytest fixtures for the loopback Railway, Render, Vercel and GitHub servers and a retry clock."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from envguard.targets.http import RetryPolicy
from servers.github import GitHubServer
from servers.railway import RailwayServer
from servers.render import RenderServer
from servers.vercel import VercelServer


class Clock:
    """A retry clock that records the waits asked for instead of sleeping them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        """Record ``seconds``; return at once."""
        self.waits.append(seconds)

    @property
    def policy(self) -> RetryPolicy:
        """A RetryPolicy that sleeps on this clock."""
        return RetryPolicy(sleep=self.sleep)


@pytest.fixture
def clock() -> Clock:
    """A fresh recording clock."""
    return Clock()


@pytest.fixture
def railway_server() -> Iterator[RailwayServer]:
    """A Railway GraphQL server on loopback with project ``proj``, environment ``prod``, service
    ``web`` (empty)."""
    server = RailwayServer()
    server.add("proj", "prod", "web")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def render_server() -> Iterator[RenderServer]:
    """A Render REST server on loopback with an empty service ``srv-web``."""
    server = RenderServer()
    server.add("srv-web")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def vercel_server() -> Iterator[VercelServer]:
    """A Vercel REST server on loopback with an empty project ``web`` owned by team ``TEAM``."""
    server = VercelServer()
    server.add("web")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def github_server() -> Iterator[GitHubServer]:
    """A GitHub REST server on loopback with repository ``acme/shop`` and its environment ``prod``."""
    server = GitHubServer()
    server.add("acme", "shop")
    server.add("acme", "shop", "prod")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (bound, then closed), for network-down tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
