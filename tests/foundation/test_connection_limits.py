"""Slow and idle connections are bounded: `wecom-bot serve` closes a connection whose
headers trickle in (or that sits idle) after the idle timeout, and past the connection cap
the longest idle go first, so /healthz keeps answering under a crowd of hostile sockets."""

from __future__ import annotations

import asyncio
import time
import urllib.request
from pathlib import Path

from tests.harness.process import start_serve


async def _slow_client(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /wecom/callback/main HTTP/1.1\r\nHost: x\r\n")  # never finished
    await writer.drain()
    return reader, writer


async def _closed_by_server(reader: asyncio.StreamReader) -> bool:
    try:
        return await asyncio.wait_for(reader.read(1), 0.2) == b""
    except (TimeoutError, ConnectionError):
        return False


def _healthz(port: int) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
        assert resp.status == 200
    return time.monotonic() - started


async def test_slow_and_idle_connections_are_closed_and_capped(tmp_path: Path) -> None:
    server, port = start_serve(tmp_path, f'database_url = "sqlite://{tmp_path}/bot.sqlite3"\n'
                                         "http_idle_timeout_seconds = 2\n"
                                         "http_max_connections = 40\n")
    try:
        clients = [await _slow_client(port) for _ in range(120)]
        await asyncio.sleep(1.2)  # the watch has looked: the cap is enforced before the timeout
        assert await asyncio.to_thread(_healthz, port) < 2
        open_now = [r for r, _ in clients if not await _closed_by_server(r)]
        assert len(open_now) <= 41, len(open_now)
        await asyncio.sleep(2.5)  # past the idle timeout: every slow client is gone
        assert all([await _closed_by_server(r) for r, _ in clients])
        for _, w in clients:
            w.close()
        assert await asyncio.to_thread(_healthz, port) < 2
    finally:
        server.terminate()
        server.wait(timeout=60)
