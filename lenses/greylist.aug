(*
Module: Greylist
  Reads milter-greylist's greylist.conf as far as milter manager needs it.

About: What is modelled
  `socket "PATH" [MODE]` (keyword case-insensitive, optional ':', the path quoted as
  milter-greylist requires) becomes /socket = PATH with
  /socket/mode = MODE. Every other statement becomes a node named after its keyword holding
  the raw rest of the statement, continuation lines (a trailing backslash, optionally followed
  by a comment) included. A broken socket line (a missing quote) is a parse error, not a
  generic statement.

About: Tree
  > socket "/var/run/milter-greylist/milter-greylist.sock" 660
  >   -> /socket = "/var/run/milter-greylist/milter-greylist.sock", /socket/mode = "660"
  > racl greylist list "grey users" delay 30m tarpit 125s
  >   -> /racl = "greylist list \"grey users\" delay 30m tarpit 125s"

About: License
  Same as milter manager in Swift.
*)
module Greylist =

let eol = Util.eol
let comment = Util.comment
let empty = Util.empty

let socket_keyword = /[Ss][Oo][Cc][Kk][Ee][Tt]:?/
let keyword_re = /[A-Za-z_][A-Za-z0-9_-]*:?/ - socket_keyword

let quoted_path = Quote.do_dquote (store /[^"\n]+/)
let mode = [ label "mode" . Util.del_ws_spc . store /[0-7]+/ ]
let comment_eol = Util.comment_generic /[ \t]+#[ \t]*/ " # "

let socket =
  [ Util.indent . del socket_keyword "socket" . label "socket" . Util.del_ws_spc
      . quoted_path . mode? . (comment_eol | eol) ]

(* The rest of a statement: words separated by blanks or by a continuation, a backslash at
   the end of a line (optionally followed by blanks and a comment). A backslash followed by a
   non-blank character is an escape inside a word (`/.*\.example\.org/`). *)
let word = /([^ \t\n\\]|\\\\[^ \t\n])+/
let continuation = /[ \t]*\\\\([ \t]*|[ \t]+#[^\n]*)\n[ \t]*/
let rest_re = word . ((/[ \t]+/ | continuation) . word)*

let statement = [ Util.indent . key keyword_re . (Util.del_ws_spc . store rest_re)? . eol ]

let lns = (empty | comment | socket | statement)*
