"""Serving a WassistFake over HTTP on 127.0.0.1, so that a running application can be pointed at it.

    python -m wassist_api_client.testing serve --port 8050 [--seed 0]

Only loopback: the fake accepts any key, so it must never listen where others reach it.
"""

from __future__ import annotations

import argparse
import http.server
import sys
import threading
from typing import Any

import httpx2

HOST = "127.0.0.1"


def make_server(port: int = 0, *, seed: int = 0, package: str | None = None) -> http.server.ThreadingHTTPServer:
    """An HTTP server (not yet serving) whose every request goes to one WassistFake; `server.fake` is it."""
    from ._fake import DEFAULT_PACKAGE, WassistFake

    fake = WassistFake(package=package or DEFAULT_PACKAGE, seed=seed)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            content = self.rfile.read(length) if length else b""
            host = f"http://{self.headers.get('Host') or f'{HOST}:{port}'}"
            headers = [(name, value) for name, value in self.headers.items()]
            request = httpx2.Request(self.command, host + self.path, headers=headers, content=content)
            try:
                response = fake.handle(request)
            except httpx2.ConnectError:
                self.close_connection = True  # fail_connection(): drop the connection without an answer
                return
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

        def log_message(self, format: str, *args: Any) -> None:
            # One line per request, never headers (the key is in one).
            sys.stderr.write(
                f"WassistFake: {self.command} {self.path.split('?')[0]} -> {args[1] if len(args) > 1 else ''}\n"
            )

    server = http.server.ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    server.fake = fake  # type: ignore[attr-defined]
    return server


def serve_in_thread(port: int = 0, **options: Any) -> tuple[http.server.ThreadingHTTPServer, threading.Thread]:
    server = make_server(port, **options)
    thread = threading.Thread(target=server.serve_forever, name="wassist-fake", daemon=True)
    thread.start()
    return server, thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m wassist_api_client.testing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the fake over HTTP on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=8050)
    serve.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        server = make_server(args.port, seed=args.seed)
    except ImportError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"cannot listen on {HOST}:{args.port}: {error}", file=sys.stderr)
        return 1
    port = server.server_address[1]
    print(f"WassistFake serves the Wassist API on http://{HOST}:{port} (any X-API-Key; Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
