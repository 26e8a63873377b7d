-- A mistake: a loop that never ends. The instruction budget stops it.
function envelope_recipient(context, recipient)
  while true do end
end
