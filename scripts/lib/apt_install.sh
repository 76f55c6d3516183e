# shellcheck shell=bash
# apt_install_missing PACKAGE...: installs, with apt-get install -y, those of the Debian packages
# that are not installed yet; nothing (and no apt-get update) when all are. Sourced by
# scripts/install-deps, scripts/test and scripts/package; the caller's name prefixes messages.
apt_install_missing() {
  local who missing=() p sudo=""
  who=$(basename "$0")
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$who: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "$who: need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
