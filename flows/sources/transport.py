"""The connections PoliteClient opens: only to addresses the address policy vetted, never past a deadline."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Iterable

import httpcore
import httpx

from flows.sources.addresses import reachable_addresses

Deadline = Callable[[], float]  # the time.monotonic() instant the current request must end by


class GuardedTransport(httpx.HTTPTransport):
    """httpx's HTTP transport whose sockets connect to public addresses only (with `allow_private`, any address but
    link-local and metadata ones).

    Each connect, read, write and TLS handshake waits at most until `deadline()`, so a server trickling
    or stalling cannot hold a request past it. The addresses checked are the ones connected to:
    a host re-resolving to a private address between two lookups (DNS rebinding) is still refused.
    Environment proxies are not used: a proxy would connect to hosts nobody checked.
    """

    def __init__(self, allow_private: bool, deadline: Deadline) -> None:
        super().__init__()
        # httpx takes no network backend: its pool is swapped for one with the guarded backend
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_GuardedBackend(allow_private, deadline)
        )


def _bounded(timeout: float | None, deadline: Deadline) -> float:
    """`timeout` shortened to the time left before the deadline; past it, a timeout now."""
    left = deadline() - time.monotonic()
    if left <= 0:
        raise httpcore.TimeoutException("deadline reached")
    return left if timeout is None else min(timeout, left)


class _GuardedBackend(httpcore.SyncBackend):
    def __init__(self, allow_private: bool, deadline: Deadline) -> None:
        self.allow_private = allow_private
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:  # raises BlockedAddress, which httpx passes through
            addresses = reachable_addresses(host, port, self.allow_private)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for address in addresses[:-1]:  # like socket.create_connection: the next address when one fails
            try:
                return self._connect(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        return self._connect(addresses[-1], port, timeout, local_address, socket_options)

    def _connect(
        self,
        address: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(address, port, _bounded(timeout, self.deadline), local_address, socket_options)
        return _GuardedStream(stream, self.deadline)


class _GuardedStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, self._deadline))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        secured = self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, self._deadline))
        return _GuardedStream(secured, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)
