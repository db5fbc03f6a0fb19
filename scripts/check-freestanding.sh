#!/bin/sh
# Fails if a reference-engine object needs a symbol the kernel does not
# provide: the only outside symbols allowed are memcpy and memset (which
# the compiler may emit for struct copies) and the engine's own.
set -eu
allowed='^(memcpy|memset|qaccel_[a-z0-9_]+)$'
bad=0
for o in "$@"; do
	for sym in $(nm -u "$o" | awk '{print $2}'); do
		if ! echo "$sym" | grep -Eq "$allowed"; then
			echo "$o: needs '$sym', which the kernel module cannot provide" >&2
			bad=1
		fi
	done
done
exit $bad
