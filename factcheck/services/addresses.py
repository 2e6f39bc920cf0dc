"""The address rule: which network addresses the tracker itself may connect to.

Anything the tracker fetches or posts to on someone's say-so — an archived report or evidence
link (``services.fetch``), a webhook (``services.webhooks``) — goes only to *public* addresses:
never loopback, private, link-local (the cloud metadata service at 169.254.169.254),
unspecified, multicast, reserved or otherwise non-global ones, IPv4-mapped IPv6 forms
included. The rule is applied to the addresses a host name resolves to *at the time of the
connection*, and the connection then goes to the address that was checked (it is "pinned"), so
a name that resolves elsewhere a moment later (DNS rebinding) reaches nothing it should not.

This module is the one place that says so: ``refused`` (why an address may not be reached),
``resolve`` (every address a host resolves to) and ``checked_addresses`` (both, for one host,
with an allow-list of exact ``address:port`` pairs that tests and development may open).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Sequence

#: ``(host, port) -> addresses``: the system's resolver by default; tests inject their own.
Resolver = Callable[[str, int], Sequence[str]]


class AddressRefused(Exception):
    """A host or address the rule does not let the tracker reach; the message says why."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (for TCP), in the resolver's order."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def refused(address: str) -> str | None:
    """Why the tracker may not connect to ``address``, or None if it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # The most telling name first: Python counts loopback and link-local addresses as private too.
    for what, hit in (("a loopback address", ip.is_loopback), ("a link-local address", ip.is_link_local),
                      ("an unspecified address", ip.is_unspecified), ("a multicast address", ip.is_multicast),
                      ("a reserved address", ip.is_reserved), ("a private address", ip.is_private)):
        if hit:
            return what
    if not ip.is_global:
        return "an address that is not public"
    return None


def allowed_pair(address: str, port: int, allow: Collection[str]) -> bool:
    """Whether ``address:port`` is one of the exact pairs of ``allow`` (``127.0.0.1:8080``,
    ``[::1]:8080``): the only way past the rule, for tests and a developer's own machine."""
    if not allow:
        return False
    shown = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    return shown in allow


def literal(host: str) -> str | None:
    """``host`` as an IP address if it is one (``10.0.0.1``, ``::1`` without brackets)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def checked_addresses(host: str, port: int, *, resolver: Resolver | None = None,
                      allow: Collection[str] = ()) -> list[str]:
    """The addresses to connect to for ``host``: resolved now, every one of them checked.

    Refused (``AddressRefused``, saying why) when the name does not resolve, or when any
    address it resolves to is refused by ``refused`` and is not an exact allowed pair: a name
    with one private address among public ones is refused whole (which one a connection would
    take is the resolver's choice, not ours)."""
    address = literal(host)
    if address is not None:
        addresses = [address]
    else:
        try:
            addresses = list(dict.fromkeys((resolver or resolve)(host, port)))
        except (OSError, UnicodeError, ValueError):
            addresses = []
        if not addresses:
            raise AddressRefused(f"the host name {host} does not resolve to any address")
    for found in addresses:
        why = refused(found)
        if why is not None and not allowed_pair(found, port, allow):
            shown = host if address is not None else f"{host} ({found})"
            raise AddressRefused(f"{shown} is {why}")
    return addresses
