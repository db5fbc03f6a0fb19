# Kernel-side sources (uapi/, driver/, runtime/ref/: what the module
# compiles) must be checkpatch.pl --strict clean: no ERROR, WARNING or
# CHECK. tests/checkpatch.sh prints one TAP line per file; make check runs
# it with the other suites, make checkpatch runs it alone, verbosely.
PHONY += checkpatch
CHECK_TESTS += tests/checkpatch.sh
check-prep: $(CHECKPATCH)

checkpatch: $(CHECKPATCH)
	CHECKPATCH=$(CHECKPATCH) $(PROVE) -v tests/checkpatch.sh
