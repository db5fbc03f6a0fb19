#!/bin/sh
# TAP: the AArch64 build (mk/53-arm64.mk) under qemu-user: every unit test
# program, the golden models on ref and on cpu at each AArch64 level (sdot
# where the emulated CPU has the dot product, plain NEON, portable C), and
# the tool. Each sub-run's own plan must be met and it must exit 0.
cd "$(dirname "$0")/../.." || exit 1
a=build/arm64
QEMU=${QEMU:-qemu-aarch64-static}
if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "1..0 # SKIP $QEMU missing (make deps installs qemu-user-static)"
	exit 0
fi
if [ ! -x $a/tests/check_golden ]; then
	echo "1..0 # SKIP $a not built (aarch64-linux-gnu-gcc missing: make deps)"
	exit 0
fi
# The emulated CPU: every feature qemu knows, the dot product included.
export QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-/usr/aarch64-linux-gnu}
export QEMU_CPU=${QEMU_CPU:-max}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
run() {	# run LABEL ENV... -- PROGRAM ARGS...: one sub-run's TAP, relabelled
	label=$1
	shift
	out=$(env "$@" 2>&1)
	rc=$?
	plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p' | head -n 1)
	got=$(echo "$out" | grep -c '^\(not \)\{0,1\}ok')
	echo "$out" | sed -n "s|^\(\(not \)\{0,1\}ok [0-9]*\) \(- \)\{0,1\}|\1 - [$label] |p; /^#/p" >> "$tmp"
	if [ "$rc" -ne 0 ] || [ -z "$plan" ] || [ "$got" != "$plan" ]; then
		echo "not ok 0 - [$label] exited $rc after $got of ${plan:-no} tests" >> "$tmp"
		echo "$out" | grep -v '^\(not \)\{0,1\}ok\|^1\.\.' | tail -n 20 | sed 's/^/# /' >> "$tmp"
	fi
}
for t in $a/tests/unit/test_*; do
	case "$t" in *.d) continue ;; esac
	run "arm64 ${t##*/}" "$QEMU" "$t"
done
run "arm64 golden ref" "$QEMU" $a/tests/check_golden --backend ref
for isa in sdot neon generic; do
	run "arm64 golden cpu $isa" QACCEL_CPU_ISA=$isa "$QEMU" $a/tests/check_golden --backend cpu
done
dev=$("$QEMU" $a/qaccel info 2>&1 | sed -n 's/^  cpu  *//p')
case "$dev" in
*sdot*) echo "ok 0 - arm64 qaccel info: cpu backend: $dev" >> "$tmp" ;;
*) echo "not ok 0 - arm64 qaccel info: cpu backend not at the sdot level: '$dev'" >> "$tmp" ;;
esac
n=$(grep -c '^\(not \)\{0,1\}ok' "$tmp")
echo "1..$n"
awk '/^(not )?ok/ { i++; sub(/ok [0-9]+ /, "ok " i " "); } { print }' "$tmp"
