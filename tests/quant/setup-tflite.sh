#!/bin/sh
# Makes the Python environment check-quant runs in: a venv under the build
# tree with TFLite's interpreter from PyPI (LiteRT, the current name, or the
# older tflite-runtime) and numpy. Cached: a venv whose interpreter already
# imports is reused. Never fails: it writes STATUS, either
#   ok PACKAGE          the venv's python runs TFLite
#   skip REASON         neither package installs here (pip's last words)
# so the test can say SKIP with that reason instead of make stopping.
#
#   tests/quant/setup-tflite.sh [VENV_DIR]      (default build/venv-tflite)
cd "$(dirname "$0")/../.." || exit 1
venv=${1:-build/venv-tflite}
status=$venv.status
py=$venv/bin/python
# Pinned so every machine compares against the same TFLite build; the
# second choice is for Pythons LiteRT has no wheel for.
choices="ai-edge-litert==2.3.0:ai_edge_litert.interpreter numpy==2.4.6
tflite-runtime==2.14.0:tflite_runtime.interpreter numpy<2"

works() {	# works MODULE: the venv imports it and numpy
	[ -x "$py" ] && "$py" -c "import numpy, $1" >/dev/null 2>&1
}

echo "$choices" | while IFS= read -r line; do
	spec=${line%%:*} rest=${line#*:}
	mod=${rest%% *} extra=${rest#* }
	if works "$mod" && grep -qx "ok $spec" "$status" 2>/dev/null; then
		exit 10
	fi
done
[ $? -eq 10 ] && exit 0

log=$venv.log
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
if ! ${PYTHON:-python3} -m venv "$venv" >"$log" 2>&1; then
	echo "skip cannot make a venv with ${PYTHON:-python3}: $(tail -n 1 "$log")" >"$status"
	exit 0
fi
echo "$choices" | while IFS= read -r line; do
	spec=${line%%:*} rest=${line#*:}
	mod=${rest%% *} extra=${rest#* }
	echo "setup-tflite: installing $spec into $venv" >&2
	if "$py" -m pip install -q --disable-pip-version-check --timeout 60 \
		"$spec" "$extra" >>"$log" 2>&1 && works "$mod"; then
		echo "ok $spec" >"$status"
		exit 10
	fi
done
[ $? -eq 10 ] && exit 0
echo "skip neither ai-edge-litert nor tflite-runtime installs for $("$py" -V 2>&1): $(grep -i error "$log" | tail -n 1)" >"$status"
exit 0
