-- Carrier webhooks as a carrier posts them to /logistics/events: JSON bodies signed with
-- HMAC-SHA256 under secret=<key>, for the parcels listed in refs=<file> (one order reference a
-- line; thread i takes every parcel whose line number is i modulo the thread count, in turn).
-- Each parcel moves out_for_delivery -> failed_delivery -> in_transit -> out_for_delivery ...,
-- a cycle legal from wherever an earlier run left it; event ids are unique per run=<n>, and
-- times increase by a millisecond an event from the start of the run. Each is a tracking scan,
-- kept and answered 202 {"result":"queued"}; check=0 skips checks.
local report = require "report"
local hmac = require "hmac"

local CYCLE = { "out_for_delivery", "failed_delivery", "in_transit" }

setup = report.setup
done = report.done

local args, id, run, parcels, steps, k, start

function init(argv)
   args = report.args(argv)
   id = wrk.thread:get("id")
   run = tonumber(args.run or "0")
   local threads = tonumber(args.threads or "32")
   parcels, steps = {}, {}
   local line_no = 0
   for ref in io.lines(args.refs) do
      if line_no % threads == id then
         table.insert(parcels, ref)
         table.insert(steps, 0)
      end
      line_no = line_no + 1
   end
   k = 0
   start = os.time()
end

local function moment(ms)
   return os.date("!%Y-%m-%dT%H:%M:%S", start + math.floor(ms / 1000))
      .. string.format(".%03dZ", ms % 1000)
end

function request()
   local i = k % #parcels + 1
   local status = CYCLE[steps[i] % #CYCLE + 1]
   local body = '{"carrier":"benchbox","tracking_ref":"' .. parcels[i] .. '","status":"'
      .. status .. '","occurred_at":"' .. moment(k) .. '","location":"Nakuru hub","note":"",'
      .. '"event_id":"bench-' .. run .. "-" .. id .. "-" .. k .. '"}'
   return wrk.format("POST", "/logistics/events", {
      ["Content-Type"] = "application/json",
      ["X-Sokoni-Signature"] = "sha256=" .. hmac.hex(args.secret, body),
   }, body)
end

function response(status, headers, body)
   if status ~= 202 or not body:find('"queued"') then
      report.bad(args)
   end
   local i = k % #parcels + 1
   steps[i] = steps[i] + 1
   k = k + 1
end
