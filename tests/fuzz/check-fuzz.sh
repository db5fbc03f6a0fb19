#!/bin/sh
# TAP: each libFuzzer target's short run in make check (mk/41-fuzz-smoke.mk):
# it built, ran its corpus and random inputs for the set time, and nothing
# crashed, leaked or hung. The log's tail is shown for a failure.
cd "$(dirname "$0")/../.." || exit 1
dir=${BUILD:-build}/fuzz
set -- tests/fuzz/fuzz_*.c
echo "1..$#"
i=0
fail=0
for src; do
	i=$((i + 1))
	t=$(basename "$src" .c)
	log=$dir/smoke-$t.log
	if [ ! -f "$log" ] || [ -n "$(find "$src" -newer "$log")" ]; then
		echo "not ok $i - $t: not run (make $log)"
		fail=1
	elif grep -q '^exit status 0$' "$log" && grep -q '^Done [0-9]* runs' "$log"; then
		echo "ok $i - $t: $(grep '^Done' "$log" | tail -n 1)"
	else
		echo "not ok $i - $t: the run failed"
		tail -n 20 "$log" | sed 's/^/# /'
		fail=1
	fi
done
exit $fail
