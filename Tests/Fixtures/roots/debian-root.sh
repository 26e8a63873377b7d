#!/bin/bash
# Builds a Debian fixture root from the real packages, as a fresh `apt-get install` leaves it
# (the files detection reads, and what the maintainer scripts create):
#   - every package's /etc files and systemd units (dpkg-deb -x; nothing else is kept);
#   - the rc links `update-rc.d NAME defaults` (or `defaults-disabled`) makes when insserv is
#     not installed: S01NAME in Default-Start runlevels (K01 for defaults-disabled), K01NAME in
#     Default-Stop runlevels;
#   - the .wants links `deb-systemd-helper enable` makes for the packages whose postinst
#     enables their unit on a fresh install;
#   - files the postinst generates: clamav-milter.conf from the debconf defaults (by running
#     the postinst's own generation code), /etc/default/mimedefang (copied and set_value'd);
#   - of rspamd's /etc/rspamd only rspamd.conf and worker-proxy.inc (what detection reads);
#   - base-files' /etc/debian_version and os-release, and systemd-sysv's /sbin/init link
#     (--init systemd) or an empty stand-in for sysvinit-core's /sbin/init (--init sysv).
#
# Usage: debian-root.sh [--suite bookworm|bullseye] [--init systemd|sysv] DEST PACKAGE...
# Needs apt-get and dpkg-deb; bullseye is reached through a private sources list (the
# machine's own apt configuration is not changed). Exit 3 when the packages cannot be fetched.
set -euo pipefail

suite=bookworm
init=systemd
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suite=$2; shift 2 ;;
    --init) init=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { echo "usage: $0 [--suite S] [--init systemd|sysv] DEST PACKAGE..." >&2; exit 64; }
dest=$(mkdir -p "$1" && cd "$1" && pwd); shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apt_options=()
if [ "$suite" != bookworm ]; then
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
  echo "deb http://deb.debian.org/debian $suite main" >"$work/apt/sources.list"
  : >"$work/apt/status"  # nothing counts as installed: download the suite's own versions
  apt_options=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
    -o "Dir::State::Status=$work/apt/status"
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache")
  apt-get "${apt_options[@]}" -qq update >/dev/null 2>&1 || exit 3
fi
(cd "$work" && apt-get "${apt_options[@]}" -qq download base-files "$@" >/dev/null 2>&1) || exit 3

mkdir -p "$dest"
for deb in "$work"/*.deb; do
  package=$(dpkg-deb -f "$deb" Package)
  version=$(dpkg-deb -f "$deb" Version)
  echo "$package $version $suite" >>"$work/versions"
  unpacked="$work/unpacked/$package"
  control="$work/control/$package"
  mkdir -p "$unpacked" "$control"
  dpkg-deb -x "$deb" "$unpacked"
  dpkg-deb -e "$deb" "$control"
  if [ "$package" = base-files ]; then
    mkdir -p "$dest/etc" "$dest/usr/lib"
    cp -a "$unpacked/etc/debian_version" "$unpacked/etc/os-release" "$dest/etc/"
    cp -a "$unpacked/usr/lib/os-release" "$dest/usr/lib/"
    continue
  fi
  for part in etc lib/systemd/system usr/lib/systemd/system; do
    [ -d "$unpacked/$part" ] || continue
    mkdir -p "$dest/$part"
    cp -a "$unpacked/$part/." "$dest/$part/"
  done
  postinst="$control/postinst"
  [ -f "$postinst" ] || continue

  # update-rc.d NAME defaults|defaults-disabled, as the postinst calls it.
  sed -n 's/.*update-rc\.d \([^ ]*\) \(defaults-disabled\|defaults\).*/\1 \2/p' "$postinst" |
    while read -r script action; do
      header="$dest/etc/init.d/$script"
      [ -f "$header" ] || continue
      start=$(sed -n 's/^# Default-Start:[[:space:]]*//p' "$header" | head -1)
      stop=$(sed -n 's/^# Default-Stop:[[:space:]]*//p' "$header" | head -1)
      letter=S
      [ "$action" = defaults-disabled ] && letter=K
      for level in $start; do mkdir -p "$dest/etc/rc$level.d"; ln -sfn "../init.d/$script" "$dest/etc/rc$level.d/${letter}01$script"; done
      for level in $stop; do mkdir -p "$dest/etc/rc$level.d"; ln -sfn "../init.d/$script" "$dest/etc/rc$level.d/K01$script"; done
    done

  # deb-systemd-helper enable UNIT: WantedBy= links (a fresh install: was-enabled is true).
  sed -n "s/.*deb-systemd-helper enable '\([^']*\)'.*/\1/p" "$postinst" | while read -r unit; do
    unit_file=""
    for directory in lib/systemd/system usr/lib/systemd/system; do
      [ -f "$dest/$directory/$unit" ] && unit_file="/$directory/$unit" && break
    done
    [ -n "$unit_file" ] || continue
    sed -n 's/^[[:space:]]*WantedBy=//p' "$dest$unit_file" | tr ' ' '\n' | while read -r target; do
      [ -n "$target" ] || continue
      mkdir -p "$dest/etc/systemd/system/$target.wants"
      ln -sfn "$unit_file" "$dest/etc/systemd/system/$target.wants/$unit"
    done
  done

  case "$package" in
    clamav-milter)
      # The postinst's own code between reading the debconf answers and handing the file to
      # ucf, run with db_get answering each template's Default.
      templates="$control/templates"
      {
        sed -n '/^to_lower()/,/^case "\$1" in/p' "$postinst" | sed '$d'
        cat <<'EOF'
db_get() {
  RET=$(awk -v key="Template: $1" '$0 == key { found = 1; next } found && /^Default:/ { sub(/^Default: ?/, ""); print; exit } found && /^$/ { exit }' "$TEMPLATES")
}
EOF
        echo 'db_get clamav-milter/debconf'
        sed -n '/# Read the configuration file/,/ucf_cleanup "\$CLAMAVMILTERCONF"/p' "$postinst" | sed '$d'
        echo 'cat "$DEBCONFFILE"'
      } >"$work/clamav-generate.sh"
      mkdir -p "$dest/etc/clamav"
      (cd "$work" && TEMPLATES="$templates" CLAMAVMILTERCONF=/nonexistent DEBCONFFILE="$work/clamav-milter.conf" \
        sh -c '. ./clamav-generate.sh' >"$dest/etc/clamav/clamav-milter.conf.generated")
      # The script sets CLAMAVMILTERCONF itself; the generated text is what ucf installs.
      mv "$dest/etc/clamav/clamav-milter.conf.generated" "$dest/etc/clamav/clamav-milter.conf"
      ;;
    mimedefang)
      # CONFFILE=/etc/default/mimedefang: copied from the package, MX_EMBED_PERL set from the
      # debconf default of mimedefang/embedperl, with the postinst's set_value (sed).
      embed=$(awk '$0 == "Template: mimedefang/embedperl" { found = 1; next } found && /^Default:/ { print $2; exit }' "$control/templates")
      value=no
      [ "$embed" = true ] && value=yes
      mkdir -p "$dest/etc/default"
      sed "s/.*MX_EMBED_PERL=.*/MX_EMBED_PERL=$value/" "$unpacked/usr/share/mimedefang/mimedefang.conf" >"$dest/etc/default/mimedefang"
      ;;
  esac
done

# rspamd ships ~90 files under /etc/rspamd; detection reads two of them.
if [ -d "$dest/etc/rspamd" ]; then
  find "$dest/etc/rspamd" -mindepth 1 ! -name rspamd.conf ! -name worker-proxy.inc -delete 2>/dev/null || true
  find "$dest/etc/rspamd" -mindepth 1 -type d -empty -delete
fi

mkdir -p "$dest/sbin"
case "$init" in
  systemd) ln -sfn /lib/systemd/systemd "$dest/sbin/init" ;;  # systemd-sysv's link
  sysv) : >"$dest/sbin/init" ;;                                 # stand-in for sysvinit-core's binary
esac
sort "$work/versions"
