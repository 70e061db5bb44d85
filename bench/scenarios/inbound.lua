-- Inbound SMS as Africa's Talking posts them to /sms/inbound: messages=<n> in all, each from
-- its own number with its own id, then every thread finishes. text=help sends HELP (one
-- reply text for all), text=aide the French AIDE (one French reply for all), text=track
-- TRACK <a reference of its own> (a reply text each).
-- run=<n> keeps numbers and ids apart between runs; check=0 skips the answer check. A thread
-- that has finished repeats its last message (same id: Sokoni stores it once).
local report = require "report"

setup = report.setup
done = report.done

local args, id, threads, quota, sent, last

function init(argv)
   args = report.args(argv)
   id = wrk.thread:get("id")
   threads = tonumber(args.threads or "32")
   quota = report.share(tonumber(args.messages), threads, id)
   sent = 0
end

function request()
   if report.finished then return last end
   local n = sent * threads + id
   local run = tonumber(args.run or "0")
   local text = "HELP"
   if args.text == "aide" then
      text = "AIDE"
   elseif args.text == "track" then
      text = string.format("TRACK+Q%05d", n)
   end
   local body = string.format(
      "from=%%2B2547%08d&to=20880&text=%s&date=2026-11-30+12%%3A00%%3A00"
         .. "&id=ATXid_in_%d_%d&linkId=&networkCode=63902",
      30000000 + run * 100000 + n, text, run, n)
   last = wrk.format("POST", "/sms/inbound",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
   return last
end

function response(status, headers, body)
   if status ~= 200 then report.bad(args) end
   if report.finished then return end
   sent = sent + 1
   if sent >= quota then report.finish() end
end
