module Test_Greylist =

let conf = "# milter-greylist configuration
pidfile \"/var/run/milter-greylist.pid\"
socket \"/var/run/milter-greylist/milter-greylist.sock\" 660
dumpfile \"/var/lib/milter-greylist/db/greylist.db\" 600
quiet
subnetmatch /24
list \"my network\" addr { 127.0.0.1/8 10.0.0.0/8 \\
        192.0.2.0/24 \\ # documentation net
        198.51.100.0/24 }
racl whitelist list \"my network\"
racl greylist default delay 30m tarpit 125s
acl whitelist domain /.*\\.example\\.org/
"

test Greylist.lns get conf =
  { "#comment" = "milter-greylist configuration" }
  { "pidfile" = "\"/var/run/milter-greylist.pid\"" }
  { "socket" = "/var/run/milter-greylist/milter-greylist.sock" { "mode" = "660" } }
  { "dumpfile" = "\"/var/lib/milter-greylist/db/greylist.db\" 600" }
  { "quiet" }
  { "subnetmatch" = "/24" }
  { "list" = "\"my network\" addr { 127.0.0.1/8 10.0.0.0/8 \\
        192.0.2.0/24 \\ # documentation net
        198.51.100.0/24 }" }
  { "racl" = "whitelist list \"my network\"" }
  { "racl" = "greylist default delay 30m tarpit 125s" }
  { "acl" = "whitelist domain /.*\\.example\\.org/" }

test Greylist.lns get "SOCKET: \"/run/g.sock\"   # comment\n" = { "socket" = "/run/g.sock" { "#comment" = "comment" } }
test Greylist.lns get "socket \"inet:3000@127.0.0.1\"\n" = { "socket" = "inet:3000@127.0.0.1" }
test Greylist.lns get "socket /var/run/g.sock\n" = *
test Greylist.lns get "socket \"/var/run/g.sock 660\n" = *

test Greylist.lns put "socket \"/a\"\n" after set "/socket" "/b" = "socket \"/b\"\n"
