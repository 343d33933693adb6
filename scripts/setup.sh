#!/usr/bin/env bash
# Install what spp needs on Debian 12 (as root), reserve hugepages and build.
# Idempotent: safe to run again. Used by demo.sh, test.sh and CI.
#   SPP_BUILD   build directory (default: <repo>/build)
#   SPP_NR_HUGEPAGES  2 MiB hugepages to reserve at least (default 1024)
#   SPP_MESON_OPTS    options for a new build directory (e.g. -Db_sanitize=...)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${SPP_BUILD:-$REPO/build}
NR_HUGE=${SPP_NR_HUGEPAGES:-1024}

PACKAGES=(
	build-essential
	chromium
	dpdk
	dpdk-dev
	graphviz
	iperf3
	iproute2
	iputils-ping
	libcmocka-dev
	libcurl4-openssl-dev
	libdpdk-dev
	libedit-dev
	libjansson-dev
	libmicrohttpd-dev
	libpcap-dev
	meson
	ninja-build
	pkg-config
	procps
	python3-pexpect
	python3-prometheus-client
	python3-pytest
	python3-scapy
	systemd
	tcpdump
	tshark
)

if [[ $(id -u) -ne 0 ]]; then
	echo "setup.sh: run as root (DPDK needs hugepages and raw devices)" >&2
	exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	echo "setup.sh: installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

# Hugepages: reserve at least NR_HUGE and mount hugetlbfs where DPDK looks.
cur=$(cat /proc/sys/vm/nr_hugepages)
if ((cur < NR_HUGE)); then
	echo "$NR_HUGE" >/proc/sys/vm/nr_hugepages
	cur=$(cat /proc/sys/vm/nr_hugepages)
	((cur >= NR_HUGE)) || echo "setup.sh: warning: only $cur hugepages could be reserved" >&2
fi
if ! mountpoint -q /dev/hugepages; then
	mkdir -p /dev/hugepages
	mount -t hugetlbfs nodev /dev/hugepages
fi

if [[ ! -f $BUILD/build.ninja ]]; then
	# shellcheck disable=SC2086
	meson setup "$BUILD" "$REPO" ${SPP_MESON_OPTS:-} >/dev/null
fi
ninja -C "$BUILD" >/dev/null
echo "setup.sh: built in $BUILD"
