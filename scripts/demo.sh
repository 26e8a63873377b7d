#!/bin/bash
# make demo: for now, the protocol round trip against a real libmilter milter.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test --filter LibmilterInteropTests
