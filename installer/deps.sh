#!/usr/bin/env bash
# Installs the Debian 12 packages Atende needs to build, test and run.
# Idempotent: when every package is present it does nothing (no apt-get update, no network).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-qpa-plugins libqt6opengl6-dev qt6-websockets-dev qt6-charts-dev qt6-httpserver-dev
  libqt6sql6-psql qt6-tools-dev qt6-l10n-tools qt6-multimedia-dev
  qcoro-qt6-dev qtkeychain-qt6-dev libsecret-1-0
  libssl-dev libprotobuf-dev protobuf-compiler libsignal-protocol-c-dev libxlsxwriter-dev libqrencode-dev
  libargon2-dev
  libgtest-dev libgmock-dev zlib1g-dev libpq-dev
  postgresql postgresql-contrib
  clang libclang-rt-14-dev
  xvfb xauth x11-utils x11-apps imagemagick fonts-dejavu-core fonts-noto-color-emoji
  dbus gnome-keyring libsecret-tools curl jq poppler-utils

)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

# Node.js + npm run Baileys for the conformance test (tests/conformance). Any node >= 18 with npm will do,
# so Debian's packages are added only when the commands are missing (a newer node from elsewhere stays).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  for p in nodejs npm; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$p")
    fi
  done
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "atende: installing ${#missing[@]} missing Debian packages: ${missing[*]}" >&2
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "atende: need root or sudo to install packages" >&2; exit 1; }
  SUDO=(sudo)
fi
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
