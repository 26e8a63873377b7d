#!/usr/bin/env python3
"""Writes the Fedora/EPEL-built files the RedHat systemd roots share (see README.md):

  clamav-milter.service   clamav 0.99.2-1 (EPEL 7): clamav-milter.systemd of Fedora's clamav
                          dist-git (snapshot nevun/clamav, commit fd47d25);
  clamav-milter.conf      clamav 0.99.2's etc/clamav-milter.conf.sample (Cisco-Talos/clamav tag
                          clamav-0.99.2) through that spec's `sed -r` lines (User clamilt,
                          AllowSupplementaryGroups/LogSyslog yes, /var/run/clamav-milter paths);
  greylist.conf           milter-greylist 4.4.1's greylist.conf through the Fedora spec's %prep
                          sed (socket /run/milter-greylist/milter-greylist.sock, database under
                          /var/lib/milter-greylist/db, pidfile /run/milter-greylist.pid).

Usage: fedora-files.py OUTDIR CLAMAV_DISTGIT_GIT CLAMAV_GIT GREYLIST_GIT"""
import os, re, subprocess, sys

out, distgit, clamav, greylist = sys.argv[1:5]

def show(git, what):
    return subprocess.run(["git", "--git-dir", git, "show", what], check=True, capture_output=True).stdout.decode()

os.makedirs(out, exist_ok=True)
open(out + "/clamav-milter.service", "w").write(show(distgit, "fd47d25:clamav-milter.systemd"))
conf = show(clamav, "clamav-0.99.2:etc/clamav-milter.conf.sample")
lines = []
for line in conf.split("\n"):
    line = re.sub(r"^#?(User).*", r"\1 clamilt", line)
    line = re.sub(r"^#?(AllowSupplementaryGroups|LogSyslog) .*", r"\1 yes", line)
    line = line.replace(" /tmp/clamav-milter.socket", " /var/run/clamav-milter/clamav-milter.socket")
    line = line.replace(" /var/run/clamav-milter.pid", " /var/run/clamav-milter/clamav-milter.pid")
    line = line.replace(" /tmp/clamav-milter.log", " /var/log/clamav-milter.log")
    lines.append(line)
open(out + "/clamav-milter.conf", "w").write("\n".join(lines))
greylist_conf = show(greylist, "3a9f142:greylist.conf")
greylist_conf = (greylist_conf.replace("/var/milter-greylist/milter-greylist.sock", "/run/milter-greylist/milter-greylist.sock")
                 .replace("/var/milter-greylist/greylist.db", "/var/lib/milter-greylist/db/greylist.db")
                 .replace("/var/milter-greylist/milter-greylist.pid", "/run/milter-greylist.pid"))
open(out + "/greylist.conf", "w").write(greylist_conf)
