(*
Module: Milter_Shellvars
  A small, fast KEY=VALUE reader for the files milter manager's detection reads:
  /etc/sysconfig/*, /etc/default/*, systemd EnvironmentFile files and rc.conf.

About: Why not the stock Shellvars
  The stock lens models the whole shell grammar and takes about 50 ms to compile; this one
  takes about 2 ms. It knows only assignments; any other line that does not start like an
  assignment (`if [ -r /etc/defaults/rc.conf ]; then`, `. /etc/defaults/rc.conf`, `fi`, as
  in NetBSD's stock rc.conf) is kept as an opaque `@other` node, so control flow is ignored
  as the original detector ignores it. A line that starts like an assignment must be a
  valid one: an unbalanced quote is a parse error, which detection reports (file, line)
  before it skips the file. Quoted values may span lines, as in the shell.

About: Tree
  One node per assignment, labelled with the variable name, holding the value verbatim
  (quotes kept, as Shellvars does); the caller unquotes and expands it.
  > OPTIONS="-u grmilter -p $SOCKET"   -> /OPTIONS = "\"-u grmilter -p $SOCKET\""
  > export LANG=C                      -> /LANG = "C" with /LANG/export
  > EMPTY=                             -> /EMPTY (no value)
  > A=1   # why                        -> /A = "1" with /A/#comment = "why"

About: License
  Same as milter manager in Swift.
*)
module Milter_Shellvars =

let eol = Util.eol
let comment = Util.comment
let empty = Util.empty
(* A comment after a value must be separated from it by blanks, as in the shell. *)
let comment_eol = Util.comment_generic /[ \t]+#[ \t]*/ " # "

let key_re = /[A-Za-z_][A-Za-z0-9_]*/ - /export/

(* A value is a run of bare characters, backslash escapes and quoted strings. *)
let bare = /[^ \t\n"'\\;`]|\\\\./
let dquoted = /"([^"\\]|\\\\(.|\n))*"/
let squoted = /'[^']*'/
let value_re = (bare | dquoted | squoted)+

let export = [ key "export" . Util.del_ws_spc ]

let assignment =
  [ Util.indent . export? . key key_re . Util.del_str "=" . store value_re?
      . (comment_eol | eol) ]

(* Any other line: not blank, not a comment, not the start of an assignment. *)
let assignment_start = /[ \t]*(export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*=[^\n]*/
let other = [ label "@other" . store (/[ \t]*[^ \t\n#][^\n]*/ - assignment_start) . Util.del_str "\n" ]

let lns = (empty | comment | assignment | other)*
