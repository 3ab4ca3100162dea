"""Run an ASGI app with uvicorn on a free loopback port, in a thread, for real clients."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def start_server(
    *args: str, workspace: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``tongan serve`` in a child process and wait until it answers; the caller stops it."""
    port = free_port()
    options = ["--port", str(port), "--workspace", str(workspace)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", *args, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return proc, url
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                message = proc.stderr.read().decode() if proc.stderr else "server died"
                raise RuntimeError(message) from None
            time.sleep(0.2)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`start_server` and release its pipe."""
    if proc.poll() is None:
        proc.terminate()
    proc.wait(timeout=10)
    if proc.stderr is not None:
        proc.stderr.close()


@contextmanager
def server_process(
    *args: str, workspace: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``tongan serve`` in a child process (for clients that hold the GIL, such as GDAL)."""
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(*args, workspace=workspace or Path(tmp), env=env)
        try:
            yield url
        finally:
            stop_server(proc)
