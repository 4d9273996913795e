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
HEX64 = "32843e7ddb4463dbd48fa7d0fd2fbb13c79c97d06fd07cec28632564e7c5bd86"
URLSAFE43 = "cLLpVMYKmlP1ZxF3W1dvZ7YmuDjBjHnBv4ROeB-1vK8"
LARAVEL_KEY = "base64:IVHgfyf3GJneMp3JTxbXFb9OY/rB8AZVSMk0iKEfREk="
STRIPE_LIVE = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
STRIPE_PUBLISHABLE = "pk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
SENTRY_DSN = "https://3f2a9c41d7e84b0f@o450123.ingest.sentry.io/5512345"
