-- Stop the milter when the greylist milter refused a recipient, or when the
-- spam filter was stopped for the session.
function end_of_header(context)
  return context.children["greylist"] == "reject"
end
