# shellcheck shell=sh
# Sourced by TAP shell tests (on the host and, through the VM overlay, in
# the test VM's busybox sh): ok NAME STATUS [FILE] prints the next result,
# "ok" when STATUS is 0, else "not ok" followed by FILE as diagnostics.
n=0
ok() {
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		[ -n "${3:-}" ] && sed 's/^/# /' "$3"
	fi
}
