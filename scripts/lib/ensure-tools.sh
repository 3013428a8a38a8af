# Installs, with apt-get, what task-queue needs to build and run, when it is missing.
# Usage: source scripts/lib/ensure-tools.sh; ensure_tools [test|compare]
# With "test", also what only the tests use: docker-compose (validates docker-compose.yml without
# an engine), promtool (from Debian's prometheus package: parses the processes' /metrics) and
# openssl (makes the certificates of the TLS test). With "compare", also Node.js and npm, which
# bin/compare runs Bee-Queue and BullMQ with (bin/compare itself checks the version it needs).
# Needs root or password-less sudo when something is missing; prints what to install otherwise.

have_java17() {
  command -v java >/dev/null 2>&1 || return 1
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null
}

have_wasi_clang() {
  command -v clang >/dev/null 2>&1 || return 1
  local probe
  probe=$(mktemp -d)
  printf 'int f(void){return 1;}\n' >"$probe/p.c"
  clang --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -o "$probe/p.wasm" "$probe/p.c" >/dev/null 2>&1
  local ok=$?
  rm -rf "$probe"
  return $ok
}

ensure_tools() {
  local packages=()
  have_java17 || packages+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || packages+=(maven)
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || packages+=(redis-tools)
  have_wasi_clang || packages+=(clang lld wasi-libc libclang-rt-14-dev-wasm32)
  if [ "${1:-}" = test ]; then
    command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
    command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
    command -v openssl >/dev/null 2>&1 || packages+=(openssl)
  fi
  if [ "${1:-}" = compare ]; then
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
  fi
  [ ${#packages[@]} -eq 0 ] && return 0

  echo "==> installing ${packages[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "missing: ${packages[*]}; install them with: apt-get install ${packages[*]}" >&2
      return 1
    fi
  fi
  $sudo apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${packages[@]}" >&2
}
