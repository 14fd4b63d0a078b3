#!/usr/bin/env bash
# Install the Debian packages given as arguments when any is missing.
# Without root or sudo it says what is missing and carries on: the tests that
# need a missing package skip with that reason.
set -u
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "warning: cannot install ${missing[*]} (not root, no sudo); continuing without them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "warning: apt-get update failed" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
  || echo "warning: could not install ${missing[*]}; continuing" >&2
exit 0
