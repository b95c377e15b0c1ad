# Shared by scripts/run, scripts/test and scripts/bench: install what a fresh machine lacks.
# Everything comes from Debian's packages, crates.io or the npm registry; no browser or
# toolchain is ever downloaded from anywhere else.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

apt_updated=""
apt_install() {
  # Installs the Debian packages named, skipping those already installed.
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_build_tools() {
  command -v cargo >/dev/null || { echo "Commissioner needs the Rust toolchain (cargo): see https://rustup.rs" >&2; exit 1; }
  # .cargo/config.toml links with mold.
  command -v mold >/dev/null || apt_install mold
  command -v cc >/dev/null || apt_install gcc
}

ensure_node_modules() {
  command -v npm >/dev/null || apt_install nodejs npm
  # Reinstall when the lockfile is newer than the last install.
  if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "Installing front-end packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
