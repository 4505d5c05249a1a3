#!/usr/bin/env bash
# OS packages the benchmarks need (wrk, the CJK fonts certificates embed), installed only
# when missing, and a local PostgreSQL started when nothing answers on 5432 but one exists.
# Without root or without a package mirror it carries on: run.py falls back to its Python
# load generator and skips PostgreSQL.
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for p in wrk fonts-arphic-uming fonts-wqy-zenhei; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "installing: ${missing[*]}"
  (apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
   (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null)) ||
    echo "could not install ${missing[*]}: continuing without"
fi
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ -d /etc/postgresql ] && [ "$(id -u)" = 0 ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi
exit 0
