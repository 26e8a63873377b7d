#!/usr/bin/python3
# A pymilter (Debian python3-milter) child for the tests and the demo: adds
# "X-Pymilter-Tag: pymilter" to every message and rejects (550 5.7.1) a message
# whose Subject contains PYREJECT.
# Usage: pymilter_tag.py SPEC      (libmilter spelling: inet:PORT@HOST or unix:/path)
import os
import sys

import Milter


class Tag(Milter.Base):
    def __init__(self):
        self.bad = False

    def envfrom(self, sender, *params):
        self.bad = False
        return Milter.CONTINUE

    def header(self, name, value):
        if name.lower() == 'subject' and 'PYREJECT' in value:
            self.bad = True
        return Milter.CONTINUE

    def eom(self):
        if self.bad:
            self.setreply('550', '5.7.1', 'rejected by the pymilter test child')
            return Milter.REJECT
        self.addheader('X-Pymilter-Tag', 'pymilter')
        return Milter.ACCEPT


if __name__ == '__main__':
    os.umask(0)
    Milter.factory = Tag
    Milter.set_flags(Milter.ADDHDRS)
    Milter.runmilter('pymilter_tag', sys.argv[1] if len(sys.argv) > 1 else 'inet:10025@127.0.0.1', 240)
