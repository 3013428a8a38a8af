#!/usr/bin/env bash
# Builds the sample task modules into OUT_DIR: each src/*.c becomes
# OUT_DIR/<name>.wasm (a WASI reactor, see docs/abi.md) and each src/*.wat is
# copied as is, since the registry assembles WAT itself. Outputs newer than
# their inputs are left alone. Maven runs this in generate-resources.
#
# Usage: build.sh OUT_DIR
# Environment: CLANG (default clang), WASI_SYSROOT (default /usr).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: build.sh OUT_DIR" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
clang="${CLANG:-clang}"
sysroot="${WASI_SYSROOT:-/usr}"
cflags=(--target=wasm32-wasi "--sysroot=$sysroot" -mexec-model=reactor
        -std=c11 -O2 -Wall -Wextra -Werror -I "$here/include" -Wl,--strip-debug)
install_hint="install the toolchain with: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Probe the whole toolchain (compiler, libc headers, linker, builtins) with a
# file that needs all of them, and name the first missing piece.
cat >"$scratch/probe.c" <<'EOF'
#include <stdio.h>
__attribute__((export_name("probe"))) int probe(long long a, long long b) {
  return printf("%lld", a / b);
}
EOF
if ! command -v "$clang" >/dev/null 2>&1; then
  echo "build.sh: '$clang' not found; $install_hint" >&2
  exit 1
fi
if ! "$clang" "${cflags[@]}" -o "$scratch/probe.wasm" "$scratch/probe.c" 2>"$scratch/probe.err"; then
  err="$(cat "$scratch/probe.err")"
  # Most specific first: link errors for the other two also mention wasm-ld.
  case "$err" in
    *libclang_rt.builtins*) missing="the wasm32 compiler runtime (package libclang-rt-14-dev-wasm32)" ;;
    *stdio.h*|*crt1-reactor.o*|*-lc*) missing="wasi-libc under $sysroot (package wasi-libc)" ;;
    *wasm-ld*) missing="the wasm linker wasm-ld (package lld)" ;;
    *) missing="a working wasm32-wasi toolchain ($(head -n 1 "$scratch/probe.err"))" ;;
  esac
  echo "build.sh: $clang cannot build wasm32-wasi modules: missing $missing; $install_hint" >&2
  exit 1
fi

# True if $1 is missing or older than any of the other arguments.
stale() {
  local target="$1" input
  shift
  [[ -e "$target" ]] || return 0
  for input in "$@"; do
    [[ "$input" -nt "$target" ]] && return 0
  done
  return 1
}

shopt -s nullglob
for src in "$here"/src/*.c; do
  name="$(basename "$src" .c)"
  if stale "$out/$name.wasm" "$src" "$here"/include/*.h "$here/build.sh"; then
    echo "build.sh: $name.c -> $out/$name.wasm"
    "$clang" "${cflags[@]}" -o "$out/$name.wasm" "$src"
  fi
done

# WAT is checked where every machine checks it: the tests assemble it in pure Java.
for wat in "$here"/src/*.wat; do
  name="$(basename "$wat")"
  if stale "$out/$name" "$wat"; then
    echo "build.sh: $name -> $out/$name"
    cp "$wat" "$out/$name"
  fi
done
