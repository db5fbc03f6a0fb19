#!/bin/sh
# TAP: the golden models on the ref and cpu backends, the ref run under
# ASan/UBSan too. Each sub-run's own plan must be met and it must exit 0;
# otherwise a "not ok" line says which run broke off.
cd "$(dirname "$0")/../.." || exit 1
b=build/tests
[ -x $b/check_golden ] || { echo "1..0 # SKIP build/tests/check_golden not built"; exit 0; }
tmp=$(mktemp)
# The cpu backend runs at its best level and, forced through
# QACCEL_CPU_ISA, at AVX2 (what CPUs without AVX-512 run; ignored where
# absent) and the portable one (tests/unit/test_cpu.c forces every level
# kernel by kernel); under ASan/UBSan too.
for run in "$b/check_golden --backend ref" "$b/check_golden --backend cpu" \
	   "QACCEL_CPU_ISA=avx2 $b/check_golden --backend cpu" \
	   "QACCEL_CPU_ISA=generic $b/check_golden --backend cpu" \
	   "$b/check_golden-san --backend ref" "$b/check_golden-san --backend cpu"; do
	out=$(env $run 2>&1)
	# The label: the binary's name and arguments, and a forced level.
	label="${run%%[ ]build/*}"
	[ "$label" = "$run" ] && label="" || label="$label "
	label="$label${run##*/}"
	rc=$?
	plan=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p' | head -n 1)
	got=$(echo "$out" | grep -c '^\(not \)\{0,1\}ok')
	echo "$out" | sed -n "s|^\(not \)\{0,1\}ok [0-9]* - |&[$label] |p; /^#/p" >> "$tmp"
	if [ "$rc" -ne 0 ] || [ "$got" != "$plan" ]; then
		echo "not ok 0 - [$label] exited $rc after $got of $plan tests" >> "$tmp"
		echo "$out" | grep -v '^\(not \)\{0,1\}ok\|^#\|^1\.\.' | sed 's/^/# /' >> "$tmp"
	fi
done
# The cpu backend must be the optimised one, not the reference stand-in.
if [ -x build/qaccel ]; then
	dev=$(build/qaccel info 2>&1 | sed -n 's/^  cpu  *//p')
	case "$dev" in
	optimised*) echo "ok 0 - cpu backend: $dev" >> "$tmp" ;;
	*) echo "not ok 0 - cpu backend is not the optimised one: '$dev'" >> "$tmp" ;;
	esac
fi
n=$(grep -c '^\(not \)\{0,1\}ok' "$tmp")
echo "1..$n"
awk '/^(not )?ok/ { i++; sub(/ok [0-9]+ /, "ok " i " "); } { print }' "$tmp"
rm -f "$tmp"
