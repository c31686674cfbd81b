#!/usr/bin/env bash
# Starts fauxqs (the pinned npm peer, bench/peers/package.json) on 127.0.0.1:<port>, or $KUMO_PORT, in memory, without
# its log. fauxqs listens on all interfaces whatever it is told; the benchmarks only send to loopback.
set -euo pipefail
cd "$(dirname "$0")"
port=${1:-${KUMO_PORT:?give a port or set KUMO_PORT}}
exec node --input-type=module -e "import { startFauxqs } from 'fauxqs'; await startFauxqs({ port: $port, host: '127.0.0.1', logger: false });"
