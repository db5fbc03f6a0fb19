#!/bin/sh
# TAP: qaccel.ko builds with the kernel's own build at W=1 with sparse
# (C=1), from the log mk/60-module.mk leaves in build/driver/ (make check
# builds it first): the module exists, the compiler warned about nothing,
# sparse warned about nothing.
cd "$(dirname "$0")/.." || exit 1
log=${BUILD:-build}/driver/build.log
echo "1..3"
stale=""
for f in Kbuild driver/*.[ch] runtime/ref/*.[ch] uapi/*.h; do
	[ -f "$log" ] && [ -n "$(find "$f" -newer "$log")" ] && stale=$f
done
if [ ! -f "$log" ] || [ -n "$stale" ]; then
	for i in 1 2 3; do
		echo "not ok $i - qaccel.ko: not built, or older than" \
			"$stale (make $log)"
	done
	exit 1
fi
fail=0
report() {	# number, name, failed?, what to show
	if [ "$3" = 0 ]; then
		echo "ok $1 - $2"
	else
		echo "not ok $1 - $2"
		printf '%s\n' "$4" | sed 's/^/# /' >&2
		fail=1
	fi
}
tree=$(head -n 1 "$log")
built=0
tail -n 1 "$log" | grep -qx "module: ok" || built=1
report 1 "qaccel.ko builds ($tree)" $built "$(grep -vE \
	'^  (CC|LD|CHECK|MODPOST|BTF) |^make(\[[0-9]+\])?: ' "$log")"
# The compiler's warnings name their option ([-W...]); sparse's do not.
cc=$(grep -E '(warning|error):.*\[-W' "$log")
report 2 "no compiler warning at W=1" "$([ -z "$cc" ]; echo $?)" "$cc"
sp=$(grep -E '(warning|error):' "$log" | grep -v '\[-W')
# modpost's WARNING lines (section mismatches, missing symbols) count too.
sp=$sp$(grep '^WARNING' "$log")
report 3 "sparse and modpost clean" "$([ -z "$sp" ]; echo $?)" "$sp"
exit $fail
