"""schemathesis against the running service's own OpenAPI document: no 5xx, and every
response conforms to the document (the document is generated from the declarations, this
proves the implementation agrees)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.databases import fresh_postgres
from tests.harness.env import PG_URL
from tests.harness.process import start_serve

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_api_conforms_to_its_openapi_document(tmp_path: Path, database: str) -> None:
    """On both databases: PostgreSQL refuses what SQLite stores (NUL, ids past 32 bits)."""
    if database == "postgres":
        asyncio.run(fresh_postgres())  # an empty schema; the service migrates it itself
        url = PG_URL
    else:
        url = f"sqlite://{tmp_path}/bot.sqlite3"
    server, port = start_serve(tmp_path, f'database_url = "{url}"\n'
                                         'log_format = "json"\nlog_level = "warning"\n')
    try:
        token = subprocess.run(
            [str(BIN / "wecom-bot"), "admin", "create-token", "--role", "admin", "--name", "fuzz"],
            env={**os.environ, "WECOM_BOT_CONFIG": str(tmp_path / "bot.toml")}, check=True,
            capture_output=True, text=True, cwd=tmp_path).stdout.strip()
        # A fixed seed keeps CI repeatable; WECOM_BOT_FUZZ_SEED=random explores new inputs
        # (how the pattern mismatches between pydantic and JSON Schema regexes were found).
        seed = os.environ.get("WECOM_BOT_FUZZ_SEED", "20261123")
        seed_args = [] if seed == "random" else ["--seed", seed]
        run = subprocess.run(
            [str(BIN / "schemathesis"), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
             "-H", f"Authorization: Bearer {token}",
             "--checks", "not_a_server_error,status_code_conformance,"
                         "content_type_conformance,response_schema_conformance",
             "--max-examples", "10", "--max-time", "90", "--workers", "2",
             # Revoking tokens at random would revoke the fuzzer's own.
             "--exclude-path-regex", "^/api/v1/tokens/\\{name\\}$",
             "--warnings", "off",
             # The coverage phase trips an internal hypothesis error on this machine's Python
             # ("AST constructor recursion depth mismatch"); fuzzing and stateful runs cover
             # every operation.
             "--phases", "examples,fuzzing,stateful", *seed_args],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )
    finally:
        server.terminate()  # a graceful stop drains queued jobs, up to the job timeout
        try:
            _, server_log = server.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            server.kill()
            _, server_log = server.communicate()
    errors = [line for line in server_log.decode(errors="replace").splitlines()
              if '"level": "error"' in line][-5:]
    assert run.returncode == 0, "\n".join([run.stdout[-4000:], run.stderr[-2000:], *errors])
