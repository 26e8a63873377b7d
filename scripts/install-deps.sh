#!/bin/bash
# Installs the Debian packages the build, the tests and the demo need, when they are missing.
# Safe to run again: it does nothing when everything is there. Debian 12 (bookworm) or later.
set -euo pipefail

packages=(
  pkg-config libaugeas-dev augeas-lenses                # main.cf edits through Augeas 1.14 (Postfix_Main)
  liblua5.4-dev                                         # Lua condition scripts (MilterScripting)
  gcc libc6-dev libmilter-dev                           # real libmilter milters built by the tests
  python3 python3-milter                                # real pymilter milters
  postfix miltertest swaks                              # real MTA and MTA-side drivers
  librrd-dev rrdtool fonts-dejavu-core                  # log analyzer: RRD files, graphs, rrdtool fetch
  munin-node                                            # the Munin plugins' test (munin-run)
  prometheus                                            # promtool check metrics on a real scrape
)
[ "${WITH_FUZZ:-0}" = 1 ] && packages+=(libclang-rt-14-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
# Package scripts must not start daemons (no systemd in containers; tests start their own).
if [ ! -x /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
fi
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
echo "postfix postfix/mailname string localhost" | $SUDO debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq -o DPkg::Lock::Timeout=600
$SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
