#!/usr/bin/env bash
# OS packages the benchmarks need (wrk, the CJK fonts certificates embed; scripts/os-packages),
# installed only when missing, and a local PostgreSQL started when nothing answers on 5432 but one exists.
# Without root or without a package mirror it carries on: run.py falls back to its Python
# load generator and skips PostgreSQL.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/scripts/os-packages" run bench || echo "continuing without the missing packages"
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ -d /etc/postgresql ] && [ "$(id -u)" = 0 ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi
exit 0
