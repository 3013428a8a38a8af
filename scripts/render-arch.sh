#!/usr/bin/env bash
# Renders docs/arch.dot into arch.svg with Graphviz, and stamps the SVG with the source's
# SHA-256 so a test can tell when the picture is older than its source.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v dot >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null
fi
digest=$(sha256sum docs/arch.dot | cut -d' ' -f1)
dot -Tsvg docs/arch.dot | sed "2i <!-- generated from docs/arch.dot sha256:$digest by scripts/render-arch.sh; do not edit -->" >arch.svg
echo "arch.svg rendered from docs/arch.dot"
