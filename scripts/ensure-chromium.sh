#!/usr/bin/env bash
# Makes sure a Chromium is installed for the browser tests (test/browser/), and prints its path.
#
# Looks for PARLANCE_CHROMIUM, then chromium and chromium-browser on the PATH and in /usr/bin.
# When there is none, installs Debian's chromium package with apt-get, as root or with
# password-less sudo (like .ci/run does for PostgreSQL). Prints the browser's path on stdout and
# exits 0; otherwise says why on stderr, with how to install one, and exits 1.
#
# Environment:
#   PARLANCE_CHROMIUM   a Chromium or Chrome executable to use (nothing is installed then)
set -euo pipefail

log() { printf '[chromium] %s\n' "$*" >&2; }
HOW="Install Chromium (Debian/Ubuntu: sudo apt-get install chromium), or set PARLANCE_CHROMIUM to a Chromium or Chrome executable."

find_chromium() {
  if [[ -n ${PARLANCE_CHROMIUM:-} ]]; then
    if [[ -x $PARLANCE_CHROMIUM ]]; then
      printf '%s\n' "$PARLANCE_CHROMIUM"
      return 0
    fi
    log "PARLANCE_CHROMIUM=$PARLANCE_CHROMIUM is not an executable file. $HOW"
    return 1
  fi
  local candidate
  for candidate in "$(command -v chromium 2>/dev/null || true)" "$(command -v chromium-browser 2>/dev/null || true)" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -n $candidate && -x $candidate ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

if find_chromium; then exit 0; fi
if [[ -n ${PARLANCE_CHROMIUM:-} ]]; then exit 1; fi

if [[ $(id -u) == 0 ]]; then
  AS_ROOT=(env)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  AS_ROOT=(sudo -n env)
else
  log "Chromium is not installed and this script can't install it (not root, no password-less sudo). $HOW"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "Chromium is not installed and there is no apt-get to install it. $HOW"
  exit 1
fi

log "installing Debian's chromium package (apt-get)"
apt_log=$(mktemp "${TMPDIR:-/tmp}/parlance-chromium-apt.XXXXXX")
trap 'rm -f "$apt_log"' EXIT
apt=("${AS_ROOT[@]}" DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get -q -y -o DPkg::Lock::Timeout=300)
start=$SECONDS
if ! "${apt[@]}" update >"$apt_log" 2>&1 || ! "${apt[@]}" install --no-install-recommends chromium >>"$apt_log" 2>&1; then
  log "apt-get could not install chromium; its last lines:"
  tail -n 30 "$apt_log" | sed 's/^/    /' >&2
  log "$HOW"
  exit 1
fi
if ! path=$(find_chromium); then
  log "the chromium package is installed but no chromium executable was found. $HOW"
  exit 1
fi
log "installed $("$path" --version 2>/dev/null || echo Chromium) in $((SECONDS - start))s"
printf '%s\n' "$path"
