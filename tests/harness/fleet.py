"""Production mode as separate processes, to crash and restart: a PostgreSQL cluster of its
own, a Redis of its own, ``wecom-bot sandbox`` playing WeCom on its own port, one ``serve``
(or several, each on its own port) and N ``worker`` processes pointed at it. For the fault
battery and the scale bench (bench/faults.py, bench/scale.py and their short forms in the
tests); every other test runs the service in process (``tests.harness.service``)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

from bot.settings import random_aes_key
from tests.harness.network import free_port
from tests.harness.redis_server import PrivateRedis

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("WECOM_BOT_PG_BIN", "/usr/lib/postgresql/15/bin"))
AVAILABLE = (PG_BIN / "initdb").exists() and shutil.which("redis-server") is not None
CORP_ID = "ww_fault_battery"
WECOM_BOT = str(Path(sys.executable).parent / "wecom-bot")


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; a root shell runs them as the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


async def _run(argv: list[str]) -> str:
    """Run a command to its end; its standard output (a failure raises with both outputs).

    The outputs go to files, not pipes, and are read once the command has exited. With pipes
    the read ends only when every holder of their write ends has closed them, and ``pg_ctl
    start`` leaves a daemon behind: on uvloop (libuv spawns without closing inherited
    descriptors) the postmaster kept a copy of the pipe, and the harness waited forever.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = await asyncio.create_subprocess_exec(*argv, stdout=out, stderr=err)
        await proc.wait()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        both = (stdout + stderr).decode(errors="replace")
        raise RuntimeError(f"{argv[0:3]} failed: {both[-1500:]}")
    return stdout.decode(errors="replace")


class PrivatePostgres:
    """A PostgreSQL cluster in a folder of its own, on a free port: to stop fast or as a crash
    (``immediate``: no checkpoint, recovery on the next start) while the service runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    async def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        await _run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U",
                                 "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]))

    async def start(self) -> None:
        # fsync off: only the machine crashing loses data then, and no fault here crashes it.
        opts = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c max_connections=200")
        await _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts,
                                 "-l", str(self.folder / "log"), "-w", "start"]))

    async def stop(self, mode: str = "fast") -> None:
        """``fast``: sessions cut, a clean shutdown; ``immediate``: as a crash."""
        await _run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode,
                                 "-w", "stop"]))

    async def create_database(self, name: str) -> str:
        import asyncpg

        conn = await asyncpg.connect(self.url().replace("postgres://", "postgresql://"))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)


def write_config(path: Path, *, port: int, database_url: str, redis_url: str,
                 api_base: str) -> None:
    """The TOML a production deploy would have: one self-built app, WeCom at ``api_base``."""
    path.write_text(
        f'listen = "127.0.0.1:{port}"\ndatabase_url = "{database_url}"\n'
        f'redis_url = "{redis_url}"\nlog_level = "warning"\nlog_format = "json"\n'
        # A milestone's group task is created at once (not a minute later): drills settle
        # within their goal.
        'group_task_delay_seconds = 0\n\n'
        f'[wecom]\ncorp_id = "{CORP_ID}"\napi_base = "{api_base}"\n'
        'api_calls_per_minute = 100000\n\n'
        '[[wecom.apps]]\nname = "main"\nkind = "app"\nagent_id = 1000002\n'
        f'secret = "s-{secrets.token_hex(8)}"\ntoken = "t{secrets.token_hex(4)}"\n'
        f'encoding_aes_key = "{random_aes_key()}"\n', encoding="utf-8")


class Fleet:
    """The processes of one production deploy, started from ``config``; each can be killed
    (SIGKILL, as a crash) and started again.

    ``serves`` > 1: more ``serve`` processes, each on a port of its own (``ports``; the first
    is ``port``, the config's ``listen``) and named ``serve``, ``serve1``, ... with a log each;
    the sandbox sends callbacks to each in turn, as the load balancer in front of them would.
    """

    def __init__(self, folder: Path, database_url: str, redis_url: str, *, workers: int = 2,
                 serves: int = 1, callback_retry_delay: float = 5.0) -> None:
        self.folder = folder
        self.port = free_port()
        self.ports = [self.port, *(free_port() for _ in range(serves - 1))]
        self.sandbox_port = free_port()
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        self.config = folder / "bot.toml"
        write_config(self.config, port=self.port, database_url=database_url,
                     redis_url=redis_url, api_base=self.sandbox_url)
        self.env = {**os.environ, "WECOM_BOT_CONFIG": str(self.config),
                    "PYTHONPATH": str(ROOT)}
        self.workers = workers
        self.retry_delay = callback_retry_delay
        self.procs: dict[str, asyncio.subprocess.Process] = {}
        self.http: aiohttp.ClientSession | None = None
        self.start_timeout = 30.0  # seconds a process may take to answer after its start

    async def command(self, *args: str) -> str:
        """A ``wecom-bot`` command on this deploy's config; what it printed."""
        return await _run([WECOM_BOT, *args, "--config", str(self.config)])

    @staticmethod
    def serve_name(i: int) -> str:
        return "serve" if i == 0 else f"serve{i}"

    def serve_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    async def _spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: ASYNC230 - a local file, once per start
        self.procs[name] = await asyncio.create_subprocess_exec(
            WECOM_BOT, *args, env={**self.env, **(env or {})}, cwd=self.folder, stdout=log,
            stderr=log)
        log.close()

    async def _healthy(self, url: str, name: str) -> None:
        assert self.http is not None
        deadline = asyncio.get_running_loop().time() + self.start_timeout
        while True:
            try:
                async with self.http.get(url, timeout=aiohttp.ClientTimeout(total=1)) as r:
                    if r.status < 500:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            proc = self.procs[name]
            if proc.returncode is not None or asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{name} did not start: "
                                   + (self.folder / f"{name}.log").read_text()[-1500:])
            await asyncio.sleep(0.1)

    async def start(self) -> None:
        self.http = aiohttp.ClientSession()
        await self.command("migrate")
        await asyncio.gather(self.start_sandbox(),
                             *(self.start_serve(i) for i in range(len(self.ports))),
                             *(self.start_worker(i) for i in range(self.workers)))

    async def start_sandbox(self) -> None:
        urls = ([a for i in range(len(self.ports)) for a in ("--callback-url", self.serve_url(i))]
                if len(self.ports) > 1 else [])
        await self._spawn("sandbox", "sandbox", "--port", str(self.sandbox_port),
                          "--callback-retry-delay", str(self.retry_delay), *urls)
        await self._healthy(f"{self.sandbox_url}/sandbox/world", "sandbox")

    async def start_serve(self, i: int = 0) -> None:
        name = self.serve_name(i)
        await self._spawn(name, "serve", env={"WECOM_BOT_LISTEN": f"127.0.0.1:{self.ports[i]}"})
        await self._healthy(f"{self.serve_url(i)}/healthz", name)

    async def start_worker(self, i: int) -> None:
        await self._spawn(f"worker{i}", "worker")
        await asyncio.sleep(1.0)  # no port to ask; give it its first poll
        if self.procs[f"worker{i}"].returncode is not None:
            raise RuntimeError(f"worker{i} exited: "
                               + (self.folder / f"worker{i}.log").read_text()[-1500:])

    async def kill(self, name: str) -> None:
        """SIGKILL: nothing is closed, drained or flushed."""
        proc = self.procs[name]
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGKILL)
        await proc.wait()

    def exited(self) -> dict[str, int]:
        """Processes that ended without being killed here: name → exit code."""
        return {n: p.returncode for n, p in self.procs.items()
                if p.returncode is not None and p.returncode != -signal.SIGKILL}

    async def control(self, action: str, **body: Any) -> dict[str, Any]:
        """The sandbox's control API: what people do (``kf/customer_says``, ``contact/add``,
        ``app/staff_says``), and ``faults``."""
        assert self.http is not None
        async with self.http.post(f"{self.sandbox_url}/sandbox/{action}", json=body) as r:
            data: dict[str, Any] = await r.json()
            if r.status != 200:
                raise RuntimeError(f"sandbox {action}: {data}")
            return data

    async def read(self, what: str) -> Any:
        """The sandbox's records: ``deliveries``, ``inboxes``, ``calls``."""
        assert self.http is not None
        async with self.http.get(f"{self.sandbox_url}/sandbox/{what}") as r:
            return (await r.json())[what]

    async def stop(self) -> None:
        for proc in self.procs.values():
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.terminate()
        for proc in self.procs.values():
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if self.http is not None:
            await self.http.close()


class Stack:
    """The private PostgreSQL and Redis one battery run uses, and a folder for its files."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="wecom-faults-"))
        os.chmod(self.folder, 0o755)  # the postgres user reaches its folder inside
        self.pg = PrivatePostgres(self.folder / "pg")
        self.redis = PrivateRedis()

    async def start(self) -> None:
        await self.pg.init()
        await asyncio.gather(self.pg.start(), self.redis.start())

    async def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            await self.pg.stop("immediate")
        await self.redis.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
