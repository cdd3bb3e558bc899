"""Which addresses a web source may reach: public internet addresses only, unless the source allows private ones."""

from __future__ import annotations

import ipaddress
import socket


class BlockedAddress(Exception):
    """A host resolves to an address that is not public (loopback, private, link-local, reserved, ...)."""


def is_public(address: str) -> bool:
    """Whether `address` (IPv4 or IPv6, IPv4-mapped IPv6 judged by its IPv4 address) is a public unicast address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, all public.

    Raises BlockedAddress when any of them is not public, socket.gaierror when the host does not resolve.
    An IP literal is judged as it is, without any lookup.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(sockaddr[0] for *_, sockaddr in found))
    blocked = [address for address in addresses if not is_public(address)]
    if blocked:
        raise BlockedAddress(f"{host} resolves to a non-public address ({blocked[0]})")
    return addresses
