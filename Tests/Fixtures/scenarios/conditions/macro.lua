-- Stop the milter for mail received by the submission daemon.
function envelope_from(context, sender)
  return context.macros["{daemon_name}"] == "submission"
end
