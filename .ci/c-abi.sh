#!/usr/bin/env bash
# The C ABI gate (run by .ci/run, or alone: `bash .ci/c-abi.sh`):
#   1. include/govshare.h equals a fresh regeneration by the pinned cbindgen;
#   2. the library is built once (`cargo build --release --locked`);
#   3. examples/c/quickstart.c and tests/c/test_govshare.c are built with
#      gcc -std=c11 -Wall -Wextra -Werror -pthread against the static and
#      the dynamic library, and run;
#   4. both are rebuilt with AddressSanitizer + UBSan (leak checking on) and
#      run against each library;
#   5. the tests run once under Valgrind (non-sanitized build): zero errors,
#      no definite or indirect leaks;
#   6. examples/python/quickstart.py (ctypes) runs against the shared library.
# Honours CARGO_TARGET_DIR. Needs gcc, valgrind and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

CBINDGEN_VERSION="0.29.4"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
mkdir -p "$TARGET_DIR"
LIB_DIR="$(cd "$TARGET_DIR" && pwd)/release"
OUT="$LIB_DIR/c-abi"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -pthread -g -Iinclude)
SANITIZE=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
# What the Rust standard library needs from the system when linked
# statically on Linux (`cargo rustc --release --lib -- --print native-static-libs`).
NATIVE_LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

started=$SECONDS
section() { printf '\n--> %s (%ds)\n' "$*" $((SECONDS - started)); }

section "cbindgen ${CBINDGEN_VERSION}"
if [[ "$(cbindgen --version 2>/dev/null || true)" != "cbindgen ${CBINDGEN_VERSION}" ]]; then
    cargo install --locked cbindgen --version "${CBINDGEN_VERSION}"
fi
cbindgen --version

section "include/govshare.h equals a fresh regeneration"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cbindgen --quiet --config cbindgen.toml --output "$scratch/govshare.h" src/ffi/mod.rs
if ! diff -u include/govshare.h "$scratch/govshare.h"; then
    echo "include/govshare.h is stale; regenerate it with:" >&2
    echo "  cbindgen --config cbindgen.toml --output include/govshare.h src/ffi/mod.rs" >&2
    exit 1
fi
echo "header up to date"

section "library: cargo build --release --locked"
cargo build --release --locked --lib
test -f "$LIB_DIR/libgovshare.a"
test -f "$LIB_DIR/libgovshare.so"
mkdir -p "$OUT"

# build NAME SOURCE LINKAGE [EXTRA_CFLAGS...]: LINKAGE is static or dynamic.
build() {
    local name="$1" source="$2" linkage="$3"
    shift 3
    if [[ "$linkage" == static ]]; then
        gcc "${CFLAGS[@]}" "$@" "$source" "$LIB_DIR/libgovshare.a" "${NATIVE_LIBS[@]}" \
            -o "$OUT/$name"
    else
        gcc "${CFLAGS[@]}" "$@" "$source" -L"$LIB_DIR" -lgovshare -Wl,-rpath,"$LIB_DIR" \
            -o "$OUT/$name"
    fi
}

section "C: build against the static and the dynamic library"
for linkage in static dynamic; do
    build "quickstart-$linkage" examples/c/quickstart.c "$linkage"
    build "test-$linkage" tests/c/test_govshare.c "$linkage"
done
# (No `ldd | grep -q` under pipefail: grep quitting early can fail ldd.)
dynamic_deps="$(ldd "$OUT/test-dynamic")"
static_deps="$(ldd "$OUT/test-static")"
if [[ "$dynamic_deps" != *libgovshare.so* || "$static_deps" == *libgovshare* ]]; then
    echo "test-dynamic must load libgovshare.so and test-static must not" >&2
    exit 1
fi

section "C: quickstart (dynamic)"
"$OUT/quickstart-dynamic" examples/data
"$OUT/quickstart-static" examples/data > /dev/null

section "C: tests (static)"
"$OUT/test-static" .
section "C: tests (dynamic)"
"$OUT/test-dynamic" .

section "C: AddressSanitizer + UBSan, leak checking on"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for linkage in static dynamic; do
    build "quickstart-asan-$linkage" examples/c/quickstart.c "$linkage" "${SANITIZE[@]}"
    build "test-asan-$linkage" tests/c/test_govshare.c "$linkage" "${SANITIZE[@]}"
    "$OUT/quickstart-asan-$linkage" examples/data > /dev/null
    echo "quickstart ($linkage): clean"
    "$OUT/test-asan-$linkage" .
done
unset ASAN_OPTIONS UBSAN_OPTIONS

section "C: Valgrind (static, non-sanitized)"
# "Possibly lost" blocks are not counted as errors: Cedar builds its
# extension table and parser once per process in `OnceLock` statics that
# hold interior pointers (a fixed ~14 KB in 54 blocks, whatever the number
# of calls). Definite and indirect leaks, and every memory error, fail.
valgrind --quiet --error-exitcode=1 --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    "$OUT/test-static" .
valgrind --quiet --error-exitcode=1 --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    "$OUT/quickstart-static" examples/data > /dev/null
echo "valgrind: no errors, no definite or indirect leaks"

section "Python (ctypes)"
python3 examples/python/quickstart.py "$LIB_DIR/libgovshare.so"

section "C ABI passed"
