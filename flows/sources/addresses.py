"""Which addresses a web source may reach: public internet addresses only, unless the source allows private ones;
never link-local or cloud metadata addresses (169.254.169.254 and the like), whatever it allows."""

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


METADATA = frozenset({"100.100.100.200", "fd00:ec2::254"})  # cloud metadata services outside link-local


def is_never_reached(address: str) -> bool:
    """Link-local (169.254.0.0/16, fe80::/10: where cloud metadata services answer) or a known metadata address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_link_local or str(ip) in METADATA


def reachable_addresses(host: str, port: int, allow_private: bool = False) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, all public (or, with `allow_private`, any but
    link-local and metadata addresses).

    Raises BlockedAddress when any of them is not allowed, socket.gaierror when the host does not resolve.
    An IP literal is judged as it is, without any lookup.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(sockaddr[0] for *_, sockaddr in found))
    never = [address for address in addresses if is_never_reached(address)]
    if never:
        raise BlockedAddress(f"{host} resolves to a link-local or metadata address ({never[0]})")
    blocked = [] if allow_private else [address for address in addresses if not is_public(address)]
    if blocked:
        raise BlockedAddress(f"{host} resolves to a non-public address ({blocked[0]})")
    return addresses
