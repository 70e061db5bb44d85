-- USSD hops as Africa's Talking sends them: every connection (one per wrk thread) dials,
-- walks to a listing screen and hangs up, alternating a first-time caller (language, country,
-- Buy, a category) and a returning caller (Buy, a category, then 00 home, which drops the
-- resume offer so the number stays a plain returning caller).
-- Arguments: run=<n> makes new numbers and session ids unique per wrk run; pool=<n> returning
-- numbers per thread (made by mode=warm); mode=hop (default), warm (walk the pool once, to
-- the main menu in one shortcut dial), memory (stop at the category screen; sessions=<n> in
-- all, then finish), long (about hops=<n> in all, then finish); check=0 skips the checks.
-- A thread that has finished replays the hops of its last walk (stored answers).
local report = require "report"

local WALKS = {
   new = { texts = { "", "1", "1*1", "1*1*1", "1*1*1*2" },
           screens = { "home.language", "home.country", "home.main", "buy.categories",
                       "buy.listings" } },
   returning = { texts = { "", "1", "1*2", "1*2*00" },
                 screens = { "home.main", "buy.categories", "buy.listings", "home.main" } },
   warm = { texts = { "1*1" }, screens = { "home.main" } },
   new_to_categories = { texts = { "", "1", "1*1", "1*1*1" },
                         screens = { "home.language", "home.country", "home.main",
                                     "buy.categories" } },
   returning_to_categories = { texts = { "", "1" }, screens = { "home.main", "buy.categories" } },
}

setup = report.setup
done = report.done

local args, id, run, pool, mode, quota
local walk, step, walks = nil, 0, 0
local new_count, returning_count = 0, 0
local session, phone

local function next_walk()
   if quota and walks >= quota then
      report.finish()
      step = 1
      return
   end
   local returning
   if mode == "warm" then
      returning = true
      walk = WALKS.warm
   else
      returning = walks % 2 == 1
      if mode == "memory" then
         walk = returning and WALKS.returning_to_categories or WALKS.new_to_categories
      else
         walk = returning and WALKS.returning or WALKS.new
      end
   end
   if returning then
      phone = string.format("+25470%07d", id * pool + returning_count % pool)
      returning_count = returning_count + 1
   else
      phone = string.format("+2547%08d", 10000000 + (run * 64 + id) * 5000 + new_count)
      new_count = new_count + 1
   end
   session = string.format("ATUid_bench_%d_%d_%d", run, id, walks)
   walks = walks + 1
   step = 1
end

function init(argv)
   args = report.args(argv)
   id = wrk.thread:get("id")
   run = tonumber(args.run or "0")
   pool = tonumber(args.pool or "200")
   mode = args.mode or "hop"
   local threads = tonumber(args.threads or "32")
   if mode == "warm" then
      quota = pool
   elseif mode == "memory" then
      quota = report.share(tonumber(args.sessions), threads, id)
   elseif mode == "long" then
      -- a first-time and a returning caller make 9 hops
      quota = report.share(math.ceil(tonumber(args.hops) * 2 / 9), threads, id)
   end
   next_walk()
end

function request()
   local body = "sessionId=" .. session .. "&serviceCode=%2A384%2A123%23&phoneNumber=%2B"
      .. phone:sub(2) .. "&networkCode=63902&text=" .. walk.texts[step]:gsub("%*", "%%2A")
   return wrk.format("POST", "/ussd",
      { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
   local screen = headers["at-ussd-hop-metadata"]
   if status ~= 200 or body:sub(1, 4) ~= "CON "
      or (screen ~= nil and screen ~= walk.screens[step]) then
      report.bad(args)
   end
   step = step + 1
   if step > #walk.texts then
      wrk.thread:set("walks", walks)
      next_walk()
   end
end
