# shellcheck shell=sh
# Sourced by the VM scripts that run whole networks as single jobs: under
# TCG the engine is emulated, and a job may outlast the driver's default
# timeout (500 ms) on a busy host. These scripts check bytes or measure
# cost, not the timeout (the driver's tests do), so they raise it while
# they run: with_timeout MS COMMAND... runs COMMAND with timeout_ms = MS
# and puts the old value back.
with_timeout() {
	_p=/sys/module/qaccel/parameters/timeout_ms
	_old=$(cat "$_p")
	_ms=$1
	shift
	echo "$_ms" >"$_p"
	"$@"
	_rc=$?
	echo "$_old" >"$_p"
	return $_rc
}
