#!/usr/bin/env bash
# Install, build and run the live demo (two namespaces through spp_vf).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
bash "$REPO/scripts/setup.sh"
exec /usr/bin/python3 "$REPO/scripts/demo.py"
