"""The ``transport`` family (EG6xx), part one: plain http/ws URLs and mail without encryption.
Cookies and HTTPS redirects are in ``transport_cookies``, databases and Redis in ``transport_stores``.

Internal addresses are not judged: loopback, private and link-local IPs, single-label names
(Docker Compose services such as ``http://api:8000``), and ``.internal``/``.local``/``.svc`` names
(``*.railway.internal``). Traffic to them never crosses the internet, and a loopback URL where the
public must reach the app is the ``local-address`` rule's finding, not this family's.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Rule, levels, url_valued
from envguard.rules.debug import is_on

_INTERNAL_SUFFIXES = (".internal", ".local", ".localhost", ".localdomain", ".svc", ".lan",
                      ".home.arpa", ".intranet")
#: RFC 1918, carrier-grade NAT (Tailscale, Fly's 6PN is in fc00::/7) and unique-local IPv6
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                    "100.64.0.0/10", "fc00::/7"))
_ITEMS = re.compile(r"[,\s]+")
_NO_ENCRYPTION = frozenset({"", "null", "(null)", "none", "false", "off", "0"})


def is_internal_host(host: str) -> bool:
    """A host whose traffic stays inside the machine or the private network."""
    host = host.strip("[]").rstrip(".").lower()
    if not host or ("." not in host and ":" not in host):
        return True
    if host.endswith(_INTERNAL_SUFFIXES):
        return True
    if ":" not in host and not host.replace(".", "").isdigit():
        return False  # a name: only digits and dots (IPv4) or a colon (IPv6) can be an address
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_link_local or ip.is_unspecified or any(ip in net for net in _PRIVATE)


def url_host(url: str) -> str | None:
    """The host name of a URL, or None when it has none or does not parse."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def url_items(value: str) -> list[str]:
    """The URL-looking items of a value: one URL, or a comma, space or JSON-style list."""
    return [i.strip("[]\"'") for i in _ITEMS.split(value) if "://" in i]


class InsecureUrl(Rule):
    """URL uses plain `http://` or `ws://` to a public host.

    ## What it does
    Reports values holding an `http://` or `ws://` URL to a public host (`APP_URL`, `ASSET_URL`,
    `FRONTEND_URL`, `VITE_API_URL`, webhook and callback URLs...) in production and staging. Internal
    addresses (see the module notes) and origin lists (the `cors` rules) are not judged.

    ## Why is this bad?
    Anyone on the path reads and rewrites the traffic: session cookies, tokens, API responses. Laravel
    builds every link and asset from `APP_URL`, so the whole site downgrades to http.

    ## Example
    ```dotenv
    APP_URL=http://facturino.mk
    VITE_WS_URL=ws://api.malar-market-ledger.com/ws
    ```

    ## Use instead
    ```dotenv
    APP_URL=https://facturino.mk
    VITE_WS_URL=wss://api.malar-market-ledger.com/ws
    ```
    """

    code = "EG601"
    name = "insecure-url"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in url_valued(ctx):
            upper = var.key.upper()
            if var.key != upper or "ORIGIN" in upper or upper.startswith("SANCTUM"):
                continue
            for item in url_items(var.value or ""):
                scheme = item.partition("://")[0].lower()
                host = url_host(item)
                if scheme in ("http", "ws") and host and not is_internal_host(host):
                    yield self.report(ctx, f"{var.key} uses {scheme}:// to a public host in "
                                      f"{ctx.env.value}", var=var,
                                      hint=f"use {scheme}s:// so the traffic is encrypted")
                    break


class MailWithoutEncryption(Rule):
    """SMTP to a remote server without enforced encryption.

    ## What it does
    With a `MAIL_HOST`/`EMAIL_HOST` outside the private network and a port other than 465, reports
    Laravel's `MAIL_ENCRYPTION=null` (a warning: the mailer then only tries STARTTLS, which an
    attacker can strip) and Django's or Flask-Mail's `*_USE_TLS` and `*_USE_SSL` both off (an error:
    the SMTP password and every mail travel in clear). API mailers (`MAIL_MAILER=ses`...) are skipped.

    ## Why is this bad?
    Password-reset links, invoices and the SMTP credentials themselves can be read on the way.

    ## Example
    ```dotenv
    MAIL_HOST=smtp.mailgun.org
    MAIL_PORT=587
    MAIL_ENCRYPTION=null
    ```

    ## Use instead
    ```dotenv
    MAIL_HOST=smtp.mailgun.org
    MAIL_PORT=587
    MAIL_ENCRYPTION=tls
    ```
    """

    code = "EG604"
    name = "mail-without-encryption"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for prefix in ("MAIL_", "EMAIL_"):
            if self._remote_smtp(ctx, prefix):
                yield from self._judge(ctx, prefix)

    @staticmethod
    def _remote_smtp(ctx: Context, prefix: str) -> bool:
        values = ctx.values
        host = values.get(f"{prefix}HOST", "").strip()
        mailer = values.get(f"{prefix}MAILER", values.get(f"{prefix}DRIVER", "smtp")).strip().lower()
        port = values.get(f"{prefix}PORT", "").strip()
        return bool(host) and not is_internal_host(host) and mailer in ("smtp", "") and port != "465"

    def _judge(self, ctx: Context, prefix: str) -> Iterator[Finding]:
        encryption = ctx.last.get(f"{prefix}ENCRYPTION")
        if encryption is not None and encryption.value is not None:
            if encryption.value.strip().lower() in _NO_ENCRYPTION:
                yield self.report(ctx, f"{encryption.key} is unset: mail to a remote host may travel "
                                  "in clear", var=encryption, severity=Severity.WARNING,
                                  hint="set it to tls (port 587) or ssl (port 465)")
            return
        flags = [ctx.last[k] for k in (f"{prefix}USE_TLS", f"{prefix}USE_SSL") if k in ctx.last]
        if flags and not any(is_on(f.value) for f in flags):
            yield self.report(ctx, f"{flags[0].key} is off: mail and the SMTP password travel in "
                              "clear", var=flags[0], hint=f"set {prefix}USE_TLS=True (port 587)")


RULES: tuple[type[Rule], ...] = (InsecureUrl, MailWithoutEncryption)
