-- The floor of SMS sending: the send call the africastalking SDK makes, one recipient each,
-- straight to the fake Africa's Talking (key=<apiKey>); every answer must be HTTP 201.
local report = require "report"

setup = report.setup
done = report.done

local args, id, k

function init(argv)
   args = report.args(argv)
   id = wrk.thread:get("id")
   k = 0
end

function request()
   local body = string.format(
      "username=sandbox&to=%%2B2547%08d&message=Sokoni+bench+floor&bulkSMSMode=1",
      40000000 + id * 100000 + k % 100000)
   return wrk.format("POST", "/version1/messaging", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = "application/json",
      ["apiKey"] = args.key,
   }, body)
end

function response(status, headers, body)
   if status ~= 201 then report.bad(args) end
   k = k + 1
end
