-- Delivery reports as Africa's Talking posts them to /sms/delivery, for messages Sokoni sent:
-- ids=<file> holds "messageId phoneNumber" lines; each thread walks its share of them in turn,
-- reporting Buffered, then Success. check=0 skips the answer check.
local report = require "report"

setup = report.setup
done = report.done

local args, id, threads, messages, k

function init(argv)
   args = report.args(argv)
   id = wrk.thread:get("id")
   threads = tonumber(args.threads or "32")
   messages = {}
   for line in io.lines(args.ids) do
      local message_id, phone = line:match("^(%S+) %+(%d+)$")
      table.insert(messages, { message_id, phone })
   end
   k = 0
end

function request()
   local n = k * threads + id
   local message = messages[n % #messages + 1]
   local status = (math.floor(n / #messages) % 2 == 0) and "Buffered" or "Success"
   local body = "id=" .. message[1] .. "&status=" .. status .. "&phoneNumber=%2B" .. message[2]
      .. "&networkCode=63902&retryCount=0"
   return wrk.format("POST", "/sms/delivery",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
   if status ~= 200 then report.bad(args) end
   k = k + 1
end
