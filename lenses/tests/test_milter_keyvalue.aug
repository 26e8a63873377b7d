module Test_Milter_Keyvalue =

let conf = "##
## Example config file for clamav-milter
##
#Example
Example
MilterSocket /run/clamav-milter/clamav-milter.socket
  AllowSupplementaryGroups yes
RejectMsg Rejecting harmful e-mail: %v found.
Mode v
Umask 002
InternalHosts 192.168.0.0/16, 10.0.0.0/8
Socket inet:8891@localhost   # the default
milter.socket: inet:10025@127.0.0.1
Tag a#b
"

test Milter_Keyvalue.lns get conf =
  { "#comment" = "#" }
  { "#comment" = "# Example config file for clamav-milter" }
  { "#comment" = "#" }
  { "#comment" = "Example" }
  { "Example" }
  { "MilterSocket" = "/run/clamav-milter/clamav-milter.socket" }
  { "AllowSupplementaryGroups" = "yes" }
  { "RejectMsg" = "Rejecting harmful e-mail: %v found." }
  { "Mode" = "v" }
  { "Umask" = "002" }
  { "InternalHosts" = "192.168.0.0/16, 10.0.0.0/8" }
  { "Socket" = "inet:8891@localhost" { "#comment" = "the default" } }
  { "milter.socket" = "inet:10025@127.0.0.1" }
  { "Tag" = "a#b" }

test Milter_Keyvalue.lns get "<<<garbage>>>\n" = *

