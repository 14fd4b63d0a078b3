"""The client's address, correct behind a reverse proxy.

X-Forwarded-For is trusted only for as many hops as there are proxies in
front of the portal (GUANWEI_PROXY_COUNT, 0 by default): otherwise anybody
could pick the address that lockouts and the audit log record.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = getattr(settings, "GUANWEI_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            found = _valid(hops[-proxies])
            if found:
                return found
    return _valid(request.META.get("REMOTE_ADDR", "") or "")
