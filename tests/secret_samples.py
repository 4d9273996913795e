"""Realistic, fake credential values shared by the rule tests (none of them works anywhere)."""

from __future__ import annotations

import base64
import json


def jwt(claims: dict[str, object]) -> str:
    """A JWT-shaped value carrying ``claims``; the signature part is filler."""

    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLWZpbGxlci1ieXRlcw"


ANON = jwt({"iss": "supabase", "ref": "abcdefghijklmnop", "role": "anon", "iat": 1700000000})
SERVICE = jwt({"iss": "supabase", "ref": "abcdefghijklmnop", "role": "service_role", "iat": 1700000000})
DEMO_SERVICE = jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996})
HEX64 = "3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54"
URLSAFE43 = "Jx4p0vQ0cO3uQm7w6mY8bq2ZsR1tK9nH5aLdE3fG7hI"
LARAVEL_KEY = "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10="
STRIPE_LIVE = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
STRIPE_PUBLISHABLE = "pk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
SENTRY_DSN = "https://3f2a9c41d7e84b0f@o450123.ingest.sentry.io/5512345"
