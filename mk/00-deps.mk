# make deps: install what the build and the tests need, only when missing.
PHONY += deps
deps:
	scripts/deps.sh
