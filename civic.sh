#!/usr/bin/env bash
# civic: install, run and test on one Debian machine.
#
#   ./civic.sh run       install everything, load the demo commune, serve http://127.0.0.1:8000
#   ./civic.sh test      install everything, run the whole test suite (browser tests included)
#   ./civic.sh install   install only (Debian packages, virtualenv, database migrations)
#
# Run as root (or through sudo) so that missing Debian packages can be installed; as another
# user it prints the exact apt-get command to run first.
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(
  binutils gdal-bin libgdal-dev libproj-dev libgeos-dev libsqlite3-mod-spatialite
  python3 python3-venv python3-dev gcc gettext libheif1 chromium fonts-dejavu-core
)
VENV=.venv
HOST=${CIVIC_HOST:-127.0.0.1}
PORT=${CIVIC_PORT:-8000}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mcivic: %s\033[0m\n' "$*" >&2; exit 1; }

install_debian_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local apt=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" -eq 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${apt[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "Installing Debian packages with sudo: ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}"
  else
    die "these Debian packages are missing: ${missing[*]}
Run, as root:   apt-get update && ${apt[*]}
then run this command again."
  fi
}

# Python 3.11 whose sqlite3 can load extensions (SpatiaLite). pyenv builds often cannot.
python_can_load_spatialite() {
  "$1" - <<'PY' >/dev/null 2>&1
import sqlite3, sys
assert sys.version_info[:2] == (3, 11), sys.version
connection = sqlite3.connect(":memory:")
connection.enable_load_extension(True)
connection.load_extension("mod_spatialite")
PY
}

pick_python() {
  local candidate
  for candidate in ${CIVIC_PYTHON:-} /usr/bin/python3.11 /usr/bin/python3 "$(command -v python3.11 || true)" "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if python_can_load_spatialite "$candidate"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

make_virtualenv() {
  if [ -x "$VENV/bin/python" ] && python_can_load_spatialite "$VENV/bin/python"; then
    return 0
  fi
  local python
  python=$(pick_python) || die "no Python 3.11 here can load SQLite extensions, which SpatiaLite needs.
Checked: \$CIVIC_PYTHON, /usr/bin/python3.11, /usr/bin/python3 and python3 on PATH.
Fix: install Debian's interpreter (apt-get install python3 python3-venv libsqlite3-mod-spatialite),
or point CIVIC_PYTHON at a Python 3.11 built with --enable-loadable-sqlite-extensions,
or use PostGIS instead by setting DATABASE_URL=postgis://user@host/dbname."
  say "Creating $VENV with $python"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
}

install_python_packages() {
  local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  [ -f "$stamp" ] && return 0
  say "Installing Python packages into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[test]"
  rm -f "$VENV"/.installed-* && touch "$stamp"
}

prepare_database() {
  say "Migrating the database (${DATABASE_URL:-SpatiaLite file var/civic.sqlite3})"
  "$VENV/bin/python" manage.py migrate --no-input -v 0
  "$VENV/bin/python" manage.py collectstatic --no-input -v 0
}

install_all() {
  install_debian_packages
  make_virtualenv
  install_python_packages
}

case "${1:-}" in
  install)
    install_all
    prepare_database
    ;;
  run)
    install_all
    prepare_database
    say "Loading the demo commune"
    "$VENV/bin/python" manage.py load_demo
    say "Serving http://$HOST:$PORT (admin: http://$HOST:$PORT/admin/) — Ctrl+C to stop"
    exec "$VENV/bin/uvicorn" civic.asgi:application --host "$HOST" --port "$PORT"
    ;;
  test)
    shift
    install_all
    say "Running the test suite"
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
