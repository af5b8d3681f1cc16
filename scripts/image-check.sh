#!/usr/bin/env bash
# Build the Dockerfile's image on this machine with no registry, run it as production runs
# it, and check it works; then remove what was started.
#
#   - a Docker engine of its own (Debian's docker.io): its own socket, data root and exec
#     root, no iptables, no bridge (containers use the host network), overlay2;
#   - a base image made with debootstrap (bookworm minbase: python3, pip, venv,
#     python-is-python3, ca-certificates, the machine's own CA certificates — the package
#     registries are reached through them — and no EXTERNALLY-MANAGED), imported with
#     `docker import` and kept between runs (rebuilt when the recipe or the CAs change);
#   - `docker build --network host --build-arg BASE=<that base>`;
#   - `wecom-bot migrate`, one `serve` and one `worker --metrics-listen`, on the host
#     network against PostgreSQL and Redis (a database and a Redis db of its own:
#     IMAGE_CHECK_PG, IMAGE_CHECK_REDIS), with the built-in WeCom sandbox;
#   - checks: the container's HEALTHCHECK turns healthy on a non-default port, /healthz,
#     /readyz, /metrics on serve and worker, a signed callback processed end to end (stored,
#     handled by the worker, its reply sent to WeCom), the user is not root, no wheel
#     directory in the image.
# Skipped, saying why, only when a Docker engine cannot run here (not root, or dockerd
# fails to start); any other failure fails the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

STATE=${IMAGE_CHECK_STATE:-/var/lib/wecom-bot-image-check}
RUN=/run/wecom-bot-image-check
SOCK="$RUN/docker.sock"
PG=${IMAGE_CHECK_PG:-postgres://postgres@127.0.0.1:5432/wecom_bot_image_check}
REDIS=${IMAGE_CHECK_REDIS:-redis://127.0.0.1:6379/14}
PY=${IMAGE_CHECK_PYTHON:-.venv/bin/python}
IMAGE=wecom-bot:image-check
NAME=wecom-bot-image-check-$$
BASE_RECIPE="bookworm minbase python3 python3-pip python3-venv python-is-python3 ca-certificates v1"

skip() { echo "image check SKIPPED: $*" >&2; exit 0; }
fail() { echo "image check FAILED: $*" >&2; exit 1; }
say() { echo "image check: $*"; }

[ -x "$PY" ] || fail "no Python with the project installed at $PY (set IMAGE_CHECK_PYTHON)"
export PGOPTIONS="--client-min-messages=warning"
[ "$(id -u)" -eq 0 ] || skip "a Docker engine needs root here (run the test command as root, as CI does)"
[ -x /usr/sbin/dockerd ] || fail "dockerd is missing (bash scripts/ops-tools.sh installs docker.io)"
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || fail "debootstrap is missing"
DOCKER=(/usr/bin/docker -H "unix://$SOCK")

# -- the engine ----------------------------------------------------------------------------
ours_dockerd=""
mkdir -p "$RUN" "$STATE/docker"
# One check at a time on a machine: they share the engine, the base and the database.
exec 9>"$STATE/lock"
flock 9
if ! "${DOCKER[@]}" info >/dev/null 2>&1; then
  # An engine of an interrupted run still holds the data root: stop it first.
  stale=$(cat "$RUN/docker.pid" 2>/dev/null || true)
  if [ -n "$stale" ] && [ "$(cat "/proc/$stale/comm" 2>/dev/null)" = dockerd ]; then
    kill "$stale"
    for _ in $(seq 1 100); do kill -0 "$stale" 2>/dev/null || break; sleep 0.1; done
  fi
  /usr/sbin/dockerd --host "unix://$SOCK" --data-root "$STATE/docker" --exec-root "$RUN/exec" \
    --pidfile "$RUN/docker.pid" --iptables=false --ip6tables=false --bridge=none \
    --storage-driver overlay2 >"$STATE/dockerd.log" 2>&1 &
  ours_dockerd=$!
  for _ in $(seq 1 150); do
    "${DOCKER[@]}" info >/dev/null 2>&1 && break
    kill -0 "$ours_dockerd" 2>/dev/null || break
    sleep 0.2
  done
  "${DOCKER[@]}" info >/dev/null 2>&1 \
    || skip "dockerd cannot run here: $(tail -3 "$STATE/dockerd.log" | tr '\n' ' ')"
fi

admin_pg="${PG%/*}/postgres"
pg_db="${PG##*/}"
redis_db="${REDIS##*/}"
redis_hostport="${REDIS#redis://}"; redis_hostport="${redis_hostport%%/*}"
cleanup() {
  set +e
  "${DOCKER[@]}" rm -f "$NAME-serve" "$NAME-worker" >/dev/null 2>&1
  psql "$admin_pg" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1
  redis-cli -h "${redis_hostport%%:*}" -p "${redis_hostport##*:}" -n "$redis_db" flushdb >/dev/null 2>&1
  if [ -n "$ours_dockerd" ]; then
    kill "$ours_dockerd" 2>/dev/null
    wait "$ours_dockerd" 2>/dev/null
  fi
}
trap cleanup EXIT

# -- the base image ------------------------------------------------------------------------
cas=(/usr/local/share/ca-certificates/*.crt)
[ -e "${cas[0]}" ] || cas=()
recipe_hash=$( { echo "$BASE_RECIPE"; [ ${#cas[@]} -eq 0 ] || cat "${cas[@]}"; } | sha256sum | cut -c1-12)
BASE="wecom-bot-base:bookworm-$recipe_hash"
if ! "${DOCKER[@]}" image inspect "$BASE" >/dev/null 2>&1; then
  say "making the base image $BASE with debootstrap (once; kept for later runs)"
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs="$STATE/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase \
    --include=python3,python3-pip,python3-venv,python-is-python3,ca-certificates \
    bookworm "$rootfs" "$mirror" >"$STATE/debootstrap.log" 2>&1 \
    || fail "debootstrap failed: $(tail -3 "$STATE/debootstrap.log" | tr '\n' ' ')"
  [ ${#cas[@]} -eq 0 ] || cp "${cas[@]}" "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
  rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
  # pip (and a pip upgraded by pip) trusts the system's CAs, the machine's own included.
  printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$rootfs/etc/pip.conf"
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . | "${DOCKER[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' - "$BASE" >/dev/null
  rm -rf "$rootfs"
  # Older bases (an older recipe or CA set) only take space.
  "${DOCKER[@]}" images --format '{{.Repository}}:{{.Tag}}' wecom-bot-base \
    | grep -vx "$BASE" | xargs -r "${DOCKER[@]}" rmi >/dev/null 2>&1 || true
fi

# -- the image -----------------------------------------------------------------------------
say "building $IMAGE on $BASE"
DOCKER_BUILDKIT=0 "${DOCKER[@]}" build -q --network host --build-arg "BASE=$BASE" -t "$IMAGE" . \
  >"$STATE/build.log" 2>&1 || { tail -30 "$STATE/build.log" >&2; fail "docker build failed"; }
"${DOCKER[@]}" image prune -f >/dev/null 2>&1 || true
size=$("${DOCKER[@]}" image inspect -f '{{.Size}}' "$IMAGE")
uid=$("${DOCKER[@]}" run --rm --network host "$IMAGE" id -u)
[ "$uid" != 0 ] || fail "the image runs as root"
# (the base's own /usr/share/python-wheels are Debian's pip and setuptools, for venv)
"${DOCKER[@]}" run --rm --network host "$IMAGE" sh -c \
  'test ! -e /dist && test ! -e /wheels && test ! -e /src && ! find / -xdev -name "*.whl" -not -path "/usr/share/python-wheels/*" 2>/dev/null | grep -q .' \
  || fail "a wheel directory (or wheel) is left in the image"

# -- run it as production does -------------------------------------------------------------
psql "$admin_pg" -qc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null
psql "$admin_pg" -qc "CREATE DATABASE \"$pg_db\"" >/dev/null
redis-cli -h "${redis_hostport%%:*}" -p "${redis_hostport##*:}" -n "$redis_db" flushdb >/dev/null
read -r port metrics_port token aes_key < <("$PY" - <<'PY'
import secrets, socket, string
def free():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
alphabet = string.ascii_letters + string.digits
print(free(), free(), "tok" + secrets.token_hex(6), "".join(secrets.choice(alphabet) for _ in range(43)))
PY
)
corp=ww_image_check
wecom="{\"corp_id\": \"$corp\", \"api_base\": \"sandbox\", \"apps\": [{\"name\": \"main\", \"kind\": \"app\", \"agent_id\": 1000002, \"secret\": \"image-check-secret\", \"token\": \"$token\", \"encoding_aes_key\": \"$aes_key\"}]}"
envs=(-e "WECOM_BOT_DATABASE_URL=$PG" -e "WECOM_BOT_REDIS_URL=$REDIS"
      -e "WECOM_BOT_LISTEN=127.0.0.1:$port" -e "WECOM_BOT_WECOM=$wecom")
"${DOCKER[@]}" run --rm --network host "${envs[@]}" "$IMAGE" wecom-bot migrate >/dev/null \
  || fail "wecom-bot migrate failed in the image"
"${DOCKER[@]}" run -d --name "$NAME-serve" --network host --health-interval 1s \
  "${envs[@]}" "$IMAGE" >/dev/null
"${DOCKER[@]}" run -d --name "$NAME-worker" --network host "${envs[@]}" "$IMAGE" \
  wecom-bot worker --metrics-listen "127.0.0.1:$metrics_port" >/dev/null

logs() { "${DOCKER[@]}" logs --tail 30 "$1" 2>&1 | sed 's/^/    /' >&2; }
wait_http() {  # URL, what
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  logs "$NAME-serve"; logs "$NAME-worker"; fail "$2 did not answer: $1"
}
wait_http "http://127.0.0.1:$port/healthz" "serve's /healthz"
wait_http "http://127.0.0.1:$port/readyz" "serve's /readyz"
wait_http "http://127.0.0.1:$metrics_port/healthz" "the worker's /healthz"
for _ in $(seq 1 100); do
  health=$("${DOCKER[@]}" inspect -f '{{.State.Health.Status}}' "$NAME-serve")
  [ "$health" = healthy ] && break
  sleep 0.2
done
[ "$health" = healthy ] || fail "serve's HEALTHCHECK is $health (port $port)"
serve_metrics=$(curl -fsS "http://127.0.0.1:$port/metrics")
grep -q '^# TYPE wecom_bot_callbacks_total counter' <<<"$serve_metrics" \
  || fail "serve's /metrics lacks wecom_bot_callbacks_total"

# One callback, signed and encrypted as WeCom sends it: a staff member's 里程碑 command for
# an order that does not exist, handled by the worker, answered with message/send.
msgid=$(PYTHONPATH=. "$PY" - "$port" "$corp" "$token" "$aes_key" <<'PY'
import secrets, sys, time, urllib.request
from urllib.parse import urlencode
from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import build_xml
port, corp, token, key = sys.argv[1:5]
now = str(int(time.time()))
msgid = str(secrets.randbelow(10**15))
plain = build_xml({"ToUserName": corp, "FromUserName": "zhangwei", "CreateTime": int(now),
                   "MsgType": "text", "Content": "里程碑 ZZ00000001 发货", "MsgId": msgid,
                   "AgentID": 1000002})
nonce = secrets.token_hex(6)
encrypt, sig = WeComCrypto(token, key, corp).encrypt(plain, nonce, now)
body = build_xml({"ToUserName": corp, "AgentID": "1000002", "Encrypt": encrypt}).encode()
query = urlencode({"msg_signature": sig, "timestamp": now, "nonce": nonce})
with urllib.request.urlopen(urllib.request.Request(
        f"http://127.0.0.1:{port}/wecom/callback/main?{query}", data=body), timeout=10) as r:
    assert r.status == 200, r.status
print(msgid)
PY
) || fail "the signed callback was not acknowledged"
done_=""
for _ in $(seq 1 100); do
  done_=$(psql "$PG" -tAc "SELECT status FROM inbox_event WHERE event_type = 'text' ORDER BY id DESC LIMIT 1")
  [ "$done_" = done ] && break
  sleep 0.2
done
[ "$done_" = done ] || { logs "$NAME-worker"; fail "the callback's inbox row is '$done_', not done"; }
worker_metrics=$(curl -fsS "http://127.0.0.1:$metrics_port/metrics")
grep -q '^wecom_bot_jobs_total{kind="process_inbox",outcome="ok"} 1.0' <<<"$worker_metrics" \
  || fail "the worker did not count the process_inbox job"
grep -q '^wecom_bot_wecom_calls_total{api="message/send",errcode="0"} 1.0' <<<"$worker_metrics" \
  || { logs "$NAME-worker"; fail "the worker did not send the reply (message/send)"; }
grep -q '"inbox_id"' < <("${DOCKER[@]}" logs "$NAME-worker" 2>&1) \
  || fail "the worker's log lines carry no inbox_id"

say "passed in $(( $(date +%s) - started )) s (image $(( size / 1000000 )) MB, user $uid)"
