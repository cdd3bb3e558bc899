from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.settings import HttpSettings

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def http_settings(tmp_path: Path) -> HttpSettings:
    return HttpSettings(
        per_host_delay_s=0,
        backoff_s=0,
        retries=2,
        max_retry_after_s=0.01,
        timeout_s=5,
        connect_timeout_s=5,
        cache_file=tmp_path / "cache" / "http_cache.json",
    )


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    """The local server with a robots.txt that lets everyone in."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    return httpserver


@pytest.fixture
def serve_with_etag(site: HTTPServer) -> Callable[[str, bytes, str, str], None]:
    """Serve a body at a path, answering 304 when the client already holds its ETag."""

    def serve(path: str, body: bytes, content_type: str, etag: str) -> None:
        def respond(request: Request) -> Response:
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(body, content_type=content_type, headers={"ETag": etag})

        site.expect_request(path).respond_with_handler(respond)

    return serve


@pytest.fixture
def requests_to(httpserver: HTTPServer) -> Callable[[str], list[Request]]:
    """The requests the server received for a path."""
    return lambda path: [request for request, _ in httpserver.log if request.path == path]
