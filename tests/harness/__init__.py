"""The one test harness: how tests build settings, start the service and talk to it.

- ``env``: the PostgreSQL and Redis databases the tests may use (from the environment).
- ``databases``: a clean database per test, without re-running every migration each time.
- ``settings``: the one settings factory, for embedded and production mode.
- ``service``: the service in process (with an arq worker beside it in production mode).
- ``process``: ``wecom-bot serve`` as a child process.
- ``callbacks``: callbacks signed and encrypted as WeCom sends them, and posting them.
- ``world``: the running service with its built-in sandbox, driven as customers and staff.
- ``admin``: bearer tokens and an admin API client.
- ``browser``: headless Chromium for the console, and signing in there.
- ``waiting``: polling until something happened.
- ``policies``: the fast retry policies.
- ``redis_server``: a Redis of a test's own, to stop and start (outages).
- ``network``: a free port, and a gate that cuts a real server off and lets it back.
- ``logs``: the service's JSON log lines as a test reads them.
- ``deploy``: the deploy/ files, the tools that check them, PromQL metric names.

Test modules import from here, never from each other; conftest files hold fixtures only.
"""
