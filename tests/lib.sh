# tests/lib.sh: what the test scripts share. A test reports one line each:
#   ok NAME | FAIL NAME: why | skip NAME: why
# and tests/run counts them.
: "${MIRAGE:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/mirage}"
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MIRAGE_DATADIR=${MIRAGE_DATADIR:-$top}
export MIRAGE_CACHE_DIR=${MIRAGE_CACHE_DIR:-$top/tests/tmp/cache}
unset MIRAGE_DEFAULT_TARGET

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }

# A fresh scratch directory under tests/tmp, removed by the caller's trap.
scratch() { mkdir -p "$top/tests/tmp" && mktemp -d "$top/tests/tmp/$1.XXXXXX"; }
