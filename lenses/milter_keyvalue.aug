(*
Module: Milter_Keyvalue
  A tolerant "Key value" reader for clamav-milter.conf, opendkim.conf and enma.conf.

About: Why not the stock Clamav and Opendkim lenses
  Clamav rejects indented lines; Opendkim rejects one-letter values (`Mode v`), unknown keys
  (`Umask 002`) and values with blanks, so a stock Fedora/EPEL opendkim.conf does not load.
  This lens accepts any `Key value` line, indented or not, a bare `Key` (clamav's `Example`),
  `key: value` (ENMA) and a trailing `# comment` after blanks. `<<<garbage>>>` is an error.

About: Tree
  > MilterSocket /run/clamav-milter/clamav-milter.socket -> /MilterSocket = "/run/..."
  > Example                                             -> /Example (no value)
  > milter.socket: inet:10025@127.0.0.1                  -> /milter.socket = "inet:10025@127.0.0.1"

About: License
  Same as milter manager in Swift.
*)
module Milter_Keyvalue =

let eol = Util.eol
let comment = Util.comment
let empty = Util.empty
let comment_eol = Util.comment_generic /[ \t]+#[ \t]*/ " # "

let key_re = /[A-Za-z][A-Za-z0-9_.-]*/
let separator = del /[ \t]+|[ \t]*:[ \t]*/ " "

(* Words separated by blanks; only the first may not start with ':' and none after the
   first may start with '#', which begins a trailing comment. *)
let value_re = /[^ \t\n:#][^ \t\n]*([ \t]+[^ \t\n#][^ \t\n]*)*/

let entry = [ Util.indent . key key_re . (separator . store value_re)? . (comment_eol | eol) ]

let lns = (empty | comment | entry)*
