"""``wecom-bot serve`` as a child process, for what only a real process shows (signals,
ports, the installed entry point)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def start_serve(tmp_path: Path, config_text: str) -> tuple[subprocess.Popen[bytes], int]:
    """``wecom-bot serve`` in a child process on a free port, once /healthz answers.

    ``config_text`` is the TOML after the ``listen`` line; stderr (the JSON log) is piped.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = tmp_path / "bot.toml"
    config.write_text(f'listen = "127.0.0.1:{port}"\n{config_text}')
    server = subprocess.Popen([str(Path(sys.executable).parent / "wecom-bot"), "serve"],
                              env={**os.environ, "WECOM_BOT_CONFIG": str(config)},
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                _, log = server.communicate()
                raise AssertionError("server did not start: "
                                     + log.decode(errors="replace")[-2000:]) from None
            time.sleep(0.2)
