"""Run a throwaway `redis-server` (the system's package) on a free 127.0.0.1 port, for tests and `make bench`.

    with start_redis() as server:
        RateLimit(20, per=1.0, redis_url=server.url)

Nothing is saved to disk (no RDB, no AOF) and the server runs in a temporary directory; `stop()`
ends it, and an interpreter that exits stops every server it started.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from scripts.prism import HOST, free_port

__all__ = ["RedisServer", "RedisServerError", "start_redis"]

STARTUP_TIMEOUT = 10.0
_PORT_ATTEMPTS = 5


class RedisServerError(RuntimeError):
    """redis-server is missing or did not start (its log is part of the message)."""


class RedisServer:
    def __init__(self, process: subprocess.Popen[bytes], work: Path, port: int) -> None:
        self.process, self.work, self.port = process, work, port
        self.url = f"redis://{HOST}:{port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def start_redis() -> RedisServer:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisServerError("redis-server not found: install it (Debian/Ubuntu: apt-get install redis-server)")
    for _ in range(_PORT_ATTEMPTS):
        port = free_port()
        work = Path(tempfile.mkdtemp(prefix="wassist-redis-"))
        log = work / "redis.log"
        command = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
        command += ["--dir", str(work), "--logfile", str(log), "--daemonize", "no"]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        server = RedisServer(process, work, port)
        if _wait_ready(server):
            atexit.register(server.stop)
            return server
        text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        server.stop()
        if "Address already in use" not in text:
            raise RedisServerError(f"redis-server did not start on port {port}:\n{text}")
    raise RedisServerError(f"redis-server found no free port in {_PORT_ATTEMPTS} attempts")


def _wait_ready(server: RedisServer) -> bool:
    """True once the server answers PING; False if it exited (or never answered)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            with socket.create_connection((HOST, server.port), timeout=1.0) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return True
        except OSError:
            pass
        time.sleep(0.02)
    return False
