#!/usr/bin/python3
# A pymilter (Debian python3-milter) milter that asks for every end-of-message change once per
# message, for tests of how an MTA side reports them:
#   change the envelope sender to <bounces@test.example>, add recipient <added@test.example>,
#   delete the first recipient, append X-AllMods-Added, insert X-AllMods-Inserted at index 1,
#   prefix the first Subject with "[allmods] ", replace the body, and quarantine when the
#   Subject contains QUARANTINE. It answers accept.
# It does not reply to MAIL FROM (SMFIP_NR_MAIL through @Milter.noreply).
# Usage: /usr/bin/python3 pymilter_allmods.py SPEC      (SPEC: inet:PORT@HOST or unix:PATH)
import sys
import Milter


class AllModifications(Milter.Base):
    def __init__(self):
        self.recipients = []
        self.subject = ''

    @Milter.noreply
    def envfrom(self, sender, *parameters):
        self.recipients = []
        self.subject = ''
        return Milter.CONTINUE

    def envrcpt(self, recipient, *parameters):
        self.recipients.append(recipient)
        return Milter.CONTINUE

    def header(self, name, value):
        if name.lower() == 'subject' and not self.subject:
            self.subject = value
        return Milter.CONTINUE

    def eom(self):
        self.chgfrom('<bounces@test.example>')
        self.addrcpt('<added@test.example>')
        if self.recipients:
            self.delrcpt(self.recipients[0])
        self.addheader('X-AllMods-Added', 'appended')
        self.addheader('X-AllMods-Inserted', 'at-index-1', 1)
        self.chgheader('Subject', 1, '[allmods] ' + self.subject)
        self.replacebody(b'body replaced by allmods\n')
        if 'QUARANTINE' in self.subject:
            self.quarantine('allmods quarantine test')
        return Milter.ACCEPT


if __name__ == '__main__':
    Milter.factory = AllModifications
    Milter.set_flags(Milter.ADDHDRS | Milter.CHGHDRS | Milter.CHGBODY | Milter.ADDRCPT |
                     Milter.DELRCPT | Milter.CHGFROM | Milter.QUARANTINE)
    Milter.runmilter('allmods', sys.argv[1] if len(sys.argv) > 1 else 'inet:10029@127.0.0.1', 240)
