#!/usr/bin/env bash
# Installs what nongsan needs on Debian 12, only what is missing: the compiler
# toolchain, the C++ libraries (Debian -dev packages), PostgreSQL 15 + PostGIS for
# the tests, Chromium for the browser tests, fonts, and the front-end packages
# from npm (web-ui/ and tests/browser/). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin
  libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-15-postgis-3
  libboost-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libqrencode-dev libxlsxwriter-dev libcairo2-dev libpango1.0-dev libsodium-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libjemalloc-dev  # the nongsan binary's allocator (CMakeLists.txt)
  fonts-dejavu-core fonts-liberation2
  chromium curl netcat-openbsd python3
  brotli gzip  # the web UI's assets are embedded precompressed (cmake/embed_files.cmake)
  poppler-utils unzip libreoffice-writer-nogui libreoffice-calc-nogui  # report tests: pdffonts, open DOCX, recalc XLSX
  clang-14 libclang-rt-14-dev  # fuzz/: libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer
  libvalijson-dev  # EPCIS 2.0 documents are validated against GS1's JSON schema
  zbar-tools  # the tests decode the QR codes nongsan draws (zbarimg)
  wrk nginx-light  # bench/read_latency.sh and bench/http_vs_nginx.sh (nginx is the peer)
)
# Node.js and npm build the web UI; the machine's own Node (20+) is used when present.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Front-end packages, from the lock files (npm ci), only when they changed.
for dir in web-ui tests/browser; do
  if [[ ! -d $dir/node_modules || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    echo "installing npm packages in $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
