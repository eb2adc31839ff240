#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian machine, idempotent: Node >= 22 (Node 24 from
# the npm registry when the machine's is older), npm packages, PostgreSQL (Bluesky's dev-env),
# Chromium (the graph view's browser test), and the local Neo4j, started.
# Usage: . scripts/node.sh && bash scripts/setup.sh && npm test
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node.sh

step() { printf '\n== %s\n' "$*"; }

apt_updated=0
apt_install() { # packages…
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing Debian packages: ${missing[*]} (run as root or install them: apt-get install ${missing[*]})" >&2
    return 1
  fi
  [[ $apt_updated -eq 1 ]] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

step "Debian packages"
apt_install chromium curl

step "Node $(node --version) at $(command -v node)"

step "npm packages"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules up to date"
fi

step "PostgreSQL (for Bluesky's dev-env)"
bash scripts/postgres.sh

step "Neo4j"
bash neo4j/neo4jctl start
