-- Debian's miltertest (OpenDKIM, Lua 5.3) driving milter-test-client through one message.
-- Usage: miltertest -D sock=unix:/path [-D refuse=STAGE] [-D hdr=NAME -D val=VALUE] -s miltertest_client.lua
--   refuse: the stage the client was told to reject (--reject-on STAGE); the script checks
--           that exactly that stage answers SMFIR_REJECT and stops there.
--   hdr/val: a header the client adds at end-of-message (--add-header NAME:VALUE).
-- Prints PASS lines and exits 0, or prints FAIL: <reason> and exits 1 (miltertest itself does
-- not print Lua errors, hence the pcall).
local sock = sock or "unix:/tmp/milter-test-client.sock"
local refuse = refuse or ""
local hdr = hdr or ""
local val = val or ""

local ok, err = pcall(function()
  local conn = mt.connect(sock, 25, 0.2)
  if conn == nil then error("mt.connect(" .. sock .. ") failed") end
  if mt.negotiate(conn, nil, nil, nil) ~= nil then error("negotiate failed") end

  -- Sends one step and checks its reply; false when the step was the refused one.
  local function step(name, fn, ...)
    local rc = fn(conn, ...)
    if rc ~= nil then error(name .. " failed: " .. tostring(rc)) end
    local reply = mt.getreply(conn)
    if name == refuse then
      if reply ~= SMFIR_REJECT then error(name .. ": expected reject, got '" .. string.char(reply) .. "'") end
      mt.echo("PASS " .. name .. " rejected")
      return false
    end
    if reply ~= SMFIR_CONTINUE then error(name .. ": unexpected reply '" .. string.char(reply) .. "'") end
    return true
  end

  mt.macro(conn, SMFIC_CONNECT, "j", "mt.example", "{daemon_name}", "miltertest")
  if not step("connect", mt.conninfo, "client.example", "192.0.2.1") then return end
  if not step("helo", mt.helo, "client.example") then return end
  mt.macro(conn, SMFIC_MAIL, "{mail_addr}", "sender@example.org")
  if not step("envelope-from", mt.mailfrom, "<sender@example.org>") then return end
  if not step("envelope-recipient", mt.rcptto, "<user@test.example>") then return end
  if not step("data", mt.data) then return end
  if not step("header", mt.header, "Subject", "from miltertest") then return end
  if not step("end-of-header", mt.eoh) then return end
  if not step("body", mt.bodystring, "body from miltertest\r\n") then return end
  if mt.eom(conn) ~= nil then error("eom failed") end
  local reply = mt.getreply(conn)
  if refuse == "end-of-message" then
    if reply ~= SMFIR_REJECT then error("end-of-message: expected reject, got '" .. string.char(reply) .. "'") end
    mt.echo("PASS end-of-message rejected")
    return
  end
  if reply ~= SMFIR_CONTINUE then error("end-of-message: unexpected reply '" .. string.char(reply) .. "'") end
  if hdr ~= "" and not mt.eom_check(conn, MT_HDRADD, hdr, val) then
    error("no '" .. hdr .. ": " .. val .. "' header added")
  end
  mt.echo("PASS end-of-message")
  mt.disconnect(conn)
end)
if not ok then print("FAIL: " .. tostring(err)); os.exit(1) end
