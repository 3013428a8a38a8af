#!/usr/bin/env bash
# Runs every test of task-queue: unit and transition tests against a real redis-server, then the
# end-to-end tests that start the real executables as processes. Installs what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/lib/ensure-tools.sh
ensure_tools test
exec mvn -B verify "$@"
