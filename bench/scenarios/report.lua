-- Shared by every scenario: numbered threads, key=value arguments, a check counter, and a
-- done() that prints one machine-readable line for bench/wrk.py.
-- wrk calls thread 0's request() once more than it sends (to check the request), so every
-- scenario moves on to its next request in response(), never in request().
local report = {}
local counter = 0
local threads = {}

function report.setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

-- "k=v" arguments given to wrk after "--", as a table of strings.
function report.args(args)
   local parsed = {}
   for _, arg in ipairs(args) do
      local k, v = arg:match("^([^=]+)=(.*)$")
      if k then parsed[k] = v end
   end
   return parsed
end

-- Count one answer that is not what Sokoni should have said (skipped with check=0, as for
-- the floor, which answers every request alike, and once the thread has finished).
function report.bad(args)
   if args.check == "0" or report.finished then return end
   local bad = (wrk.thread:get("bad") or 0) + 1
   wrk.thread:set("bad", bad)
end

-- How many of `total` requests or walks thread `id` of `threads` makes.
function report.share(total, threads, id)
   return math.floor(total / threads) + ((id < total % threads) and 1 or 0)
end

-- Called by a thread that has sent all it was asked to: tell bench/wrk.py (once), which
-- ends wrk when every thread has. The thread is not stopped: its connection would stay open
-- and idle, and an idle connection holds a gunicorn sync worker until its timeout. Until
-- the end it repeats requests already answered (Sokoni replays them; nothing changes).
function report.finish()
   if report.finished then return end
   report.finished = true
   io.write("BENCH-THREAD-DONE\n")
   io.flush()
end

local function json_number(x)
   return string.format("%.3f", x)
end

function report.done(summary, latency, requests)
   local bad, walks = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("bad") or 0)
      walks = walks + (thread:get("walks") or 0)
   end
   local e = summary.errors
   io.write("BENCH-RESULT {",
      '"requests": ', summary.requests, ", ",
      '"duration_s": ', json_number(summary.duration / 1e6), ", ",
      '"p50_ms": ', json_number(latency:percentile(50) / 1000), ", ",
      '"p99_ms": ', json_number(latency:percentile(99) / 1000), ", ",
      '"max_ms": ', json_number(latency.max / 1000), ", ",
      '"connect_errors": ', e.connect, ", ",
      '"read_errors": ', e.read, ", ",
      '"write_errors": ', e.write, ", ",
      '"timeouts": ', e.timeout, ", ",
      '"status_errors": ', e.status, ", ",
      '"bad_answers": ', bad, ", ",
      '"walks": ', walks, "}\n")
end

return report
