module Test_Milter_Shellvars =

let conf = "### Override for your different local config
#SOCKET=/var/run/spamass-milter/spamass-milter.sock
SOCKET=\"inet:11120@[127.0.0.1]\"

  EXTRA_FLAGS='-m -r 15'   # trailing comment
export LANG=C
EMPTY=
OPTIONS=\"$OPTIONS -p inet:11122@[127.0.0.1]\"
miltergreylist_enable=YES
A=a\\ b\"c d\"
"

test Milter_Shellvars.lns get conf =
  { "#comment" = "## Override for your different local config" }
  { "#comment" = "SOCKET=/var/run/spamass-milter/spamass-milter.sock" }
  { "SOCKET" = "\"inet:11120@[127.0.0.1]\"" }
  { }
  { "EXTRA_FLAGS" = "'-m -r 15'" { "#comment" = "trailing comment" } }
  { "LANG" = "C" { "export" } }
  { "EMPTY" = "" }
  { "OPTIONS" = "\"$OPTIONS -p inet:11122@[127.0.0.1]\"" }
  { "miltergreylist_enable" = "YES" }
  { "A" = "a\\ b\"c d\"" }

test Milter_Shellvars.lns get "SOCKET=\"inet:11120@[127.0.0.1]\n" = *

(* NetBSD's stock rc.conf: control flow is kept opaque. *)
test Milter_Shellvars.lns get "if [ -r /etc/defaults/rc.conf ]; then
\t. /etc/defaults/rc.conf
fi
rc_configured=YES
" =
  { "@other" = "if [ -r /etc/defaults/rc.conf ]; then" }
  { "@other" = "\t. /etc/defaults/rc.conf" }
  { "@other" = "fi" }
  { "rc_configured" = "YES" }

(* A quoted value may span lines. *)
test Milter_Shellvars.lns get "CLAMAV_FLAGS=\"
\t--config-file=/etc/clamd.conf
\"
" = { "CLAMAV_FLAGS" = "\"
\t--config-file=/etc/clamd.conf
\"" }
test Milter_Shellvars.lns get "OPTIONS=-u spamass-milter -i 127.0.0.1\n" = *

test Milter_Shellvars.lns put "A=1\n" after set "/B" "2" = "A=1\nB=2\n"
