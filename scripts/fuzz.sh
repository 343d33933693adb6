#!/usr/bin/env bash
# Run the libFuzzer targets of tests/fuzz (docs/fuzzing.md), each for a
# given time, over its corpus in tests/fuzz/corpus/<target>/; inputs that
# find new coverage are added there. A crash or oracle failure is copied to
# tests/fuzz/crashers/<target>/ (which `meson test` then replays) and makes
# the script exit 1 once every target ran.
#   scripts/fuzz.sh [-t SECONDS] [-m] [TARGET...]
#   -t SECONDS   time per target (default 60)
#   -m           afterwards, minimise each corpus (-merge=1, edge coverage
#                only: a few hundred files at most)
#   TARGET       classifier cmd ctl_frame reply rest stream vlan (default: all)
#   SPP_FUZZ_BUILD  build directory (default: <repo>/build-fuzz), set up with
#                   clang, -Dfuzz=true and AddressSanitizer + UBSan if missing
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${SPP_FUZZ_BUILD:-$REPO/build-fuzz}
ALL=(classifier cmd ctl_frame reply rest stream vlan)
SECONDS_PER=60
MERGE=0

while getopts "t:mh" opt; do
	case $opt in
	t) SECONDS_PER=$OPTARG ;;
	m) MERGE=1 ;;
	*) sed -n '2,14p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL[@]}")
for t in "${TARGETS[@]}"; do
	[[ " ${ALL[*]} " == *" $t "* ]] || { echo "unknown target: $t" >&2; exit 2; }
done

# clang and libFuzzer's runtime (libclang_rt.fuzzer) are needed only here,
# so scripts/setup.sh does not install them for everyone.
bash "$REPO/scripts/setup.sh"
for p in clang libclang-rt-14-dev; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			clang libclang-rt-14-dev >/dev/null
		break
	fi
done

if [[ ! -f $BUILD/build.ninja ]]; then
	CC=clang meson setup "$BUILD" "$REPO" -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized
fi
ninja -C "$BUILD" "${TARGETS[@]/#/tests/fuzz/fuzz_}"

# An oracle failure aborts; UB must too, and leaks are checked per input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

failed=()
for t in "${TARGETS[@]}"; do
	corpus=$REPO/tests/fuzz/corpus/$t
	crashers=$REPO/tests/fuzz/crashers/$t
	work=$(mktemp -d)
	mkdir -p "$corpus" "$crashers"
	# The stream targets need room for a 4096-byte command and more.
	max_len=4096
	[[ $t == stream || $t == ctl_frame ]] && max_len=12000
	echo "== $t: ${SECONDS_PER}s"
	rc=0
	"$BUILD/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_PER" -max_len=$max_len \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/" "$corpus" 2>"$work/log" || rc=$?
	grep -E '^(#[0-9]+ +DONE|stat::(number_of_executed_units|average_exec_per_sec|new_units_added))' \
		"$work/log" || true
	if [[ $rc -ne 0 ]]; then
		failed+=("$t")
		tail -40 "$work/log" >&2
		for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[[ -e $f ]] || continue
			cp "$f" "$crashers/"
			echo "$t: kept $crashers/$(basename "$f")" >&2
		done
	fi
	if [[ $MERGE -eq 1 && $rc -eq 0 ]]; then
		mkdir "$work/min"
		"$BUILD/tests/fuzz/fuzz_$t" -merge=1 -use_counters=0 -max_len=$max_len \
			"$work/min" "$corpus" \
			2>>"$work/log"
		# Keep the hand-made seeds by name; replace the rest by the minimal
		# set (named by SHA-1, as libFuzzer names them), less the seeds.
		seeds=$(find "$corpus" -type f -name 'seed-*' -exec sha1sum {} + | cut -d' ' -f1)
		find "$corpus" -type f ! -name 'seed-*' -delete
		for f in "$work"/min/*; do
			grep -qx "$(basename "$f")" <<<"$seeds" || cp "$f" "$corpus/"
		done
		echo "$t: corpus minimised to $(find "$corpus" -type f | wc -l) files"
	fi
	rm -rf "$work"
done

# The vlan target's EAL removes its runtime directory on a normal exit;
# after a crash, remove those of our fuzzers that no longer run.
for d in /var/run/dpdk/unit_fuzz_vlan_*; do
	[[ -d $d ]] || continue
	kill -0 "${d##*_}" 2>/dev/null || rm -rf "$d"
done

if [[ ${#failed[@]} -gt 0 ]]; then
	echo "FAILED: ${failed[*]} (inputs in tests/fuzz/crashers/)" >&2
	exit 1
fi
echo "no crash"
