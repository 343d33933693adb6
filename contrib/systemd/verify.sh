#!/bin/sh
# Checks the units of contrib/systemd without installing anything:
# `systemd-analyze verify` against a scratch root holding the built binaries
# (meson install --destdir) and the host's stock units, then
# `systemd-analyze security --offline=yes` (exposure score per unit).
#   contrib/systemd/verify.sh [BUILD_DIR]      (default: build)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
root=$(mktemp -d /tmp/spp-units.XXXXXX)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root meson install -C "$build" --no-rebuild >/dev/null
mkdir -p "$root/etc/systemd/system" "$root/lib/systemd" "$root/bin"
cp -r /lib/systemd/system "$root/lib/systemd/"
cp /bin/sh "$root/bin/"
cp contrib/systemd/*.service "$root/etc/systemd/system/"
systemd-analyze verify --man=no --root="$root" \
	spp-ctl.service spp-primary.service spp-vf@1.service spp-mirror@2.service
echo "verify: ok"
for u in spp-ctl.service spp-primary.service spp-vf@.service spp-mirror@.service; do
	systemd-analyze security --offline=yes --no-pager "contrib/systemd/$u" | tail -1
done
