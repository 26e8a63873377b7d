#!/usr/bin/env python3
"""Builds a CentOS 5/6 (SysV init + chkconfig) fixture root from RPMforge's packaging, as
`yum install spamass-milter clamav-milter milter-greylist` left it, before any edit:

  - spamass-milter 0.3.1-3: /etc/rc.d/init.d/spamass-milter and /etc/sysconfig/spamass-milter
    from the spec's here-documents (repoforge/rpms specs/spamass-milter/spamass-milter.spec);
  - clamav-milter 0.98.1-1: specs/clamav/clamav-milter.init, the sysconfig here-document, and
    /etc/clamav-milter.conf = clamav 0.98.1's etc/clamav-milter.conf.sample (Cisco-Talos/clamav,
    tag clamav-0.98.1) through the spec's %prep perl substitutions;
  - milter-greylist 4.2.7-2: upstream rc-redhat.sh.in (rev 1.7) with configure's @BINDIR@ and
    @USER@ (--with-user=smmsp) as /etc/rc.d/init.d/milter-greylist, and upstream greylist.conf
    (rev 1.46, the copy 4.2.x and 4.3.x releases carry) as /etc/mail/greylist.conf;
  - `chkconfig --add NAME` from each %post: K<stop> links in runlevels 0-6 for a `chkconfig: -`
    script, S<start> in its listed runlevels and K<stop> in the others otherwise;
  - /etc/init.d -> rc.d/init.d and /etc/rcN.d -> rc.d/rcN.d (initscripts' links).

With --epel-greylist, milter-greylist is instead the EPEL 6 build as far as it can be
rebuilt: upstream 4.4.1's rc-redhat.sh.in and greylist.conf through the Fedora/EPEL spec's
%prep path edits for EL6 (socket /var/run/milter-greylist/milter-greylist.sock, database
/var/lib/milter-greylist/db/greylist.db, pidfile /var/run/milter-greylist.pid) and its
configure (--with-user=grmilter, BINDIR=/usr/sbin). EPEL's milter-greylist-*-config.patch
could not be fetched, so the lines it changes keep upstream's text (see README.md).
With --amavisd, amavisd-new 2.8.1-1's /etc/rc.d/init.d/amavisd and /etc/sysconfig/amavisd
(here-documents of specs/amavisd-new/amavisd-new.spec) are added too.

Usage: redhat-sysv-root.py [--epel-greylist] [--amavisd] DEST REPOFORGE_GIT CLAMAV_GIT GREYLIST_GIT
(the three are git directories of fetched snapshots; see README.md)."""
import os, re, subprocess, sys

arguments = sys.argv[1:]
epel_greylist = "--epel-greylist" in arguments
amavisd = "--amavisd" in arguments
dest, repoforge, clamav, greylist = [a for a in arguments if not a.startswith("--")][:4]
MACROS = {"%{_sysconfdir}": "/etc", "%{_localstatedir}": "/var", "%{_initrddir}": "/etc/rc.d/init.d",
          "%{_sbindir}": "/usr/sbin", "%{_bindir}": "/usr/bin"}

def show(git, rev_path):
    return subprocess.run(["git", "--git-dir", git, "show", rev_path], check=True,
                          capture_output=True).stdout.decode("utf-8", "surrogateescape")

def macros(text):
    for name, value in MACROS.items():
        text = text.replace(name, value)
    return text

def heredoc(spec, target):
    match = re.search(r"%\{__cat\} <<'?EOF'? >" + re.escape(target) + r"\n(.*?)\nEOF\n", spec, re.S)
    return macros(match.group(1)) + "\n"

def write(path, text, mode=0o644):
    full = dest + path
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    os.chmod(full, mode)

spec = show(repoforge, "HEAD:specs/spamass-milter/spamass-milter.spec")
write("/etc/sysconfig/spamass-milter", heredoc(spec, "spamass-milter.sysconfig"))
write("/etc/rc.d/init.d/spamass-milter", heredoc(spec, "spamass-milter.sysv"), 0o755)

spec = show(repoforge, "HEAD:specs/clamav/clamav.spec")
write("/etc/rc.d/init.d/clamav-milter", show(repoforge, "HEAD:specs/clamav/clamav-milter.init"), 0o755)
write("/etc/sysconfig/clamav-milter", heredoc(spec, "clamav-milter.sysconfig"))
sample = show(clamav, "clamav-0.98.1:etc/clamav-milter.conf.sample")
block = spec[:spec.index("' etc/clamav-milter.conf")]
block = block[block.rindex("-e '\n") + 4:]
lines = sample.split("\n")
for rule in re.findall(r"s\|(.*?)\|(.*?)\|;", macros(block)):
    pattern, replacement = rule
    regex = re.compile(pattern.replace("\\b", "\\b"))
    lines = [regex.sub(replacement.replace("$1", "\\1"), line, count=1) for line in lines]
write("/etc/clamav-milter.conf", "\n".join(lines))

if epel_greylist:
    def epel(text):
        return (text.replace("/var/milter-greylist/milter-greylist.sock", "/var/run/milter-greylist/milter-greylist.sock")
                .replace("/var/milter-greylist/greylist.db", "/var/lib/milter-greylist/db/greylist.db")
                .replace("/var/milter-greylist/milter-greylist.pid", "/var/run/milter-greylist.pid"))
    script = epel(show(greylist, "3a9f142:rc-redhat.sh.in")).replace("@BINDIR@", "/usr/sbin").replace("@USER@", "grmilter")
    conf = epel(show(greylist, "3a9f142:greylist.conf"))
else:
    script = show(greylist, "55fae9b:rc-redhat.sh.in").replace("@BINDIR@", "/usr/bin").replace("@USER@", "smmsp")
    conf = show(greylist, "55fae9b:greylist.conf")
write("/etc/rc.d/init.d/milter-greylist", script, 0o755)
write("/etc/mail/greylist.conf", conf)

services = ["spamass-milter", "clamav-milter", "milter-greylist"]
if amavisd:
    spec = show(repoforge, "HEAD:specs/amavisd-new/amavisd-new.spec")
    write("/etc/sysconfig/amavisd", heredoc(spec, "amavisd.sysconfig"))
    write("/etc/rc.d/init.d/amavisd", heredoc(spec, "amavisd.sysv"), 0o755)
    services.append("amavisd")

if not os.path.lexists(dest + "/etc/init.d"):
    os.symlink("rc.d/init.d", dest + "/etc/init.d")
for level in "0123456":  # initscripts' /etc/rcN.d -> rc.d/rcN.d links
    if not os.path.lexists(dest + "/etc/rc%s.d" % level):
        os.symlink("rc.d/rc%s.d" % level, dest + "/etc/rc%s.d" % level)
for name in services:
    header = open(dest + "/etc/rc.d/init.d/" + name).read()
    levels, start, stop = re.search(r"# chkconfig:\s*(\S+)\s+(\d+)\s+(\d+)", header).groups()
    on = set() if levels == "-" else set(levels)
    for level in "0123456":
        directory = dest + "/etc/rc.d/rc%s.d" % level
        os.makedirs(directory, exist_ok=True)
        link = ("S%02d" % int(start) if level in on else "K%02d" % int(stop)) + name
        os.symlink("../init.d/" + name, os.path.join(directory, link))
