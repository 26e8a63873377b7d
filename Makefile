# milter manager in Swift. The two commands a new user runs: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
SECONDS ?= 60
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)
SOURCES_TO_FORMAT = Sources Tests Fuzz Package.swift

.PHONY: all deps build release install test demo lint format fuzz bench clean

all: build

# Debian packages (Augeas, libmilter, pymilter, Postfix, miltertest), installed only when missing.
deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# make install [PREFIX=/usr/local] [DESTDIR=]: the daemon and milter-manager-config in sbin, the
# test tools and milter-manager-log-analyzer in bin (as the original), templates/ in
# share/milter-manager (found from the executables), packaging/ (postinstall hook, systemd unit,
# init script, defaults files, cron.d example) beside them for packagers, and the Munin plugins
# in share/milter-manager/munin/plugins (link them into /etc/munin/plugins).
PREFIX ?= /usr/local
MUNIN_PLUGINS = $(DESTDIR)$(PREFIX)/share/milter-manager/munin/plugins
install: release
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/milter-manager
	install -m 0755 $(RELEASE_BIN)/milter-manager $(RELEASE_BIN)/milter-manager-config $(DESTDIR)$(PREFIX)/sbin/
	install -m 0755 $(RELEASE_BIN)/milter-test-server $(RELEASE_BIN)/milter-test-client $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(RELEASE_BIN)/milter-manager-log-analyzer $(DESTDIR)$(PREFIX)/bin/
	cp -R templates packaging $(DESTDIR)$(PREFIX)/share/milter-manager/
	install -d $(MUNIN_PLUGINS)
	install -m 0755 packaging/munin/milter_manager_ packaging/munin/milter_manager_memory $(MUNIN_PLUGINS)/

# Every test: unit tests on in-memory channels and integration tests with real peers
# (libmilter and pymilter milters, Postfix) started on loopback by the tests themselves.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

demo: release
	@scripts/demo.sh "$(RELEASE_BIN)"

lint:
	$(SWIFT) format lint --strict --recursive $(SOURCES_TO_FORMAT)

format:
	$(SWIFT) format format --in-place --recursive $(SOURCES_TO_FORMAT)

# libFuzzer on the packet decoders, the configuration language and the main.cf editor, each for
# SECONDS (or RUNS=N executions each): make fuzz SECONDS=60
fuzz:
	@WITH_FUZZ=1 scripts/install-deps.sh
	@scripts/fuzz.sh $(SECONDS)

bench: release
	@scripts/bench.sh "$(RELEASE_BIN)"

clean:
	rm -rf .build .build-* Fuzz/.build .test-work
