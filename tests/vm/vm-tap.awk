# Turns what the test VM said into one TAP stream for prove.
#
#   awk -v progs="a b" -f tests/vm/vm-tap.awk OUT.tap.log OUT.console.log
#
# OUT.tap.log is the second serial port: "@@vm " markers from tests/vm/init
# and, between "@@vm run NAME" and "@@vm exit NAME RC", that program's TAP.
# Each of its results becomes one result here, named "NAME: ...", and the
# program itself one more: it passes when it exited 0 with a plan whose
# count matches its results. progs lists every program that was packed, so
# one that never ran fails too. After the programs, the driver's debugfs
# counters (buffers, jobs, files) must all be back to 0. OUT.console.log is the kernel console: any
# line of it matching a kernel-trouble pattern fails the run.

function result(ok, desc, directive) {
	n++
	printf "%s %d - %s%s\n", ok ? "ok" : "not ok", n, desc, \
		directive == "" ? "" : " # " directive
	if (!ok)
		failed++
}

function diag(s) {
	gsub(/\r/, "", s)
	print "# " s
}

function end_prog(rc, took,    ok, why) {
	ok = 1
	why = ""
	if (skip_all != "") {
		result(rc == 0 || rc == 4, prog ": skipped", "SKIP " skip_all)
		prog = ""
		return
	}
	if (plan < 0) {
		ok = 0
		why = why " no plan;"
	} else if (plan != seen) {
		ok = 0
		why = why sprintf(" plan 1..%d but %d results;", plan, seen)
	}
	if (rc != 0) {
		ok = 0
		why = why " exit status " rc (rc == 137 ? " (killed: timeout)" : "") ";"
	}
	if (bad) {
		ok = 0
		why = why sprintf(" %d failed;", bad)
	}
	result(ok, sprintf("%s: %d results, exit %s%s%s", prog, seen, rc,
		took == "" ? "" : ", " took, why == "" ? "" : " -" why), "")
	prog = ""
}

BEGIN {
	n = 0
	failed = 0
	prog = ""
	nprogs = split(progs, want, " ")
	# Kernel-log lines that mean the kernel or the driver misbehaved.
	trouble = "WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|" \
		"refcount_t|Kernel panic|blocked for more than|detected stall|" \
		"list_(add|del) corruption|kernel BUG|Call Trace"
}

FILENAME == ARGV[1] {
	sub(/\r$/, "")
	if ($1 == "@@vm") {
		if ($2 == "start") {
			started = 1
			diag("vm: kernel " $3 ", " $4)
		} else if ($2 == "insmod") {
			msg = $0
			sub(/^@@vm insmod [a-z]+ [^ ]+ ?/, "", msg)
			result($3 == "ok", "insmod " $4 (msg == "" ? "" : \
				": " msg), "")
		} else if ($2 == "device") {
			diag("vm: /dev/dri: " substr($0, 13))
		} else if ($2 == "run") {
			if (prog != "")
				end_prog("(none: no exit marker)", "")
			prog = $3
			ran[prog] = 1
			plan = -1
			seen = 0
			bad = 0
			skip_all = ""
		} else if ($2 == "exit") {
			if (prog == $3)
				end_prog($4, $5)
		} else if ($2 == "state") {
			state_seen = 1
			msg = $0
			sub(/^@@vm state ?/, "", msg)
			result($0 ~ /bos 0 jobs 0 files 0$/, \
				"after the tests the driver holds nothing: " msg, "")
		} else if ($2 == "rmmod") {
			rmmod_seen = 1
			msg = $0
			sub(/^@@vm rmmod [a-z]+ ?/, "", msg)
			result($3 == "ok", "rmmod qaccel" (msg == "" ? "" : \
				": " msg), "")
		} else if ($2 == "dmesg") {
			in_dmesg = $3 == "begin"
		} else if ($2 == "done") {
			done = 1
		}
		next
	}
	if (in_dmesg) {
		dmesg[++ndmesg] = $0
		next
	}
	if (prog == "") {
		if ($0 != "")
			diag("vm: " $0)
		next
	}
	# Inside a program's output.
	if ($0 ~ /^1\.\.[0-9]+/) {
		plan = $0
		sub(/^1\.\./, "", plan)
		sub(/[^0-9].*/, "", plan)
		plan += 0
		if (plan == 0 && $0 ~ /# *[Ss][Kk][Ii][Pp]/) {
			skip_all = $0
			sub(/^[^#]*# *[Ss][Kk][Ii][Pp] */, "", skip_all)
			if (skip_all == "")
				skip_all = "no reason given"
		}
		next
	}
	if ($0 ~ /^(not )?ok [0-9]+/) {
		ok = $0 !~ /^not /
		desc = $0
		sub(/^(not )?ok [0-9]+ *-? */, "", desc)
		directive = ""
		if (match(desc, / # *([Ss][Kk][Ii][Pp]|[Tt][Oo][Dd][Oo])/)) {
			directive = substr(desc, RSTART + 3)
			sub(/^ */, "", directive)
			desc = substr(desc, 1, RSTART - 1)
		}
		seen++
		# A TODO failure is not a pass in disguise: only SKIP keeps
		# its directive, and prove counts it as skipped.
		if (directive ~ /^[Tt][Oo][Dd][Oo]/)
			directive = ""
		if (!ok)
			bad++
		result(ok, prog ": " desc, directive)
		next
	}
	if ($0 ~ /^TAP version/)
		next
	diag(prog ": " ($0 ~ /^# / ? substr($0, 3) : $0))
	next
}

{
	# The kernel console.
	sub(/\r$/, "")
	console[++nconsole] = $0
	if ($0 ~ trouble)
		trouble_lines[++ntrouble] = nconsole
}

END {
	if (prog != "")
		end_prog("(none: no exit marker)", "")
	result(started, "VM booted and ran the tests' init", "")
	for (i = 1; i <= nprogs; i++)
		if (!(want[i] in ran))
			result(0, want[i] ": never ran", "")
	if (started && !rmmod_seen)
		result(0, "rmmod qaccel: never attempted", "")
	if (rmmod_seen && !state_seen)
		result(0, "debugfs qaccel_state: never read", "")
	result(done, "VM ran to the end and powered off", "")

	# The kernel log: listed with a little context around each hit.
	result(ntrouble == 0, "kernel log has no WARNING/BUG/Oops/" \
		"general protection/KASAN/refcount_t", "")
	shown = 0
	for (i = 1; i <= ntrouble && shown < 120; i++) {
		from = trouble_lines[i] - 2
		to = trouble_lines[i] + 25
		if (from <= last_shown)
			from = last_shown + 1
		for (j = from; j <= to && j <= nconsole; j++) {
			diag("kernel: " console[j])
			shown++
		}
		last_shown = to
	}

	# On any failure, the end of the kernel log says what went on.
	if (failed && ntrouble == 0) {
		from = nconsole - 40
		if (from < 1)
			from = 1
		for (j = from; j <= nconsole; j++)
			diag("kernel: " console[j])
	}
	printf "1..%d\n", n
}
