#!/usr/bin/env bash
# The API, export and ingest suites against Neo4j as users often have it: no GDS and no APOC (as on
# Aura Free), authentication on, reached through the routing scheme neo4j://. A second local server
# on other ports, started and stopped here; analytics then run on the in-process engine.
# Usage: . scripts/node.sh && bash scripts/test-plain-neo4j.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export BSKY_NEO4J_HOME=$PWD/.bsky-graph/neo4j-plain
export NEO4J_BOLT_PORT=${PLAIN_NEO4J_BOLT_PORT:-7697} NEO4J_HTTP_PORT=${PLAIN_NEO4J_HTTP_PORT:-7484}
export BSKY_NEO4J_PLUGINS=off BSKY_NEO4J_AUTH=on NEO4J_PASSWORD=plain-neo4j-test-pw
export NEO4J_HEAP_MAX=1g NEO4J_HEAP_INITIAL=512m NEO4J_PAGECACHE=512m
unset NEO4J_URI
mkdir -p "$BSKY_NEO4J_HOME"
bash neo4j/neo4jctl start
trap 'bash neo4j/neo4jctl stop' EXIT
export NEO4J_URI=neo4j://127.0.0.1:$NEO4J_BOLT_PORT
NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand \
  test/integration/graphql-queries.test.ts test/integration/graphql-analytics.test.ts \
  test/integration/graphql-export.test.ts test/integration/export-files.test.ts \
  test/integration/graphql-ingest.test.ts test/integration/ingest-devnet.test.ts \
  test/integration/ingest-writer-safety.test.ts
