#!/usr/bin/env bash
# The deployment checks' tools, from Debian's packages: promtool (prometheus) for the alert
# rules, docker-compose for deploy/compose.yaml, and a Docker engine with debootstrap for
# scripts/image-check.sh (the image is built without any registry).
set -eu
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
[ -x /usr/sbin/dockerd ] || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing for the deployment checks: ${missing[*]} (run 'sudo apt-get install ${missing[*]}')" >&2
  exit 0   # their tests say what is missing and skip (they fail in CI, which runs as root)
fi
echo "installing ${missing[*]} for the deployment checks"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The prometheus package would start a Prometheus server as a service; only promtool is used.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
