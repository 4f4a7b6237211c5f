-- Load with writes: 90 % reads of the dashboard and need pages, 10 % milestone saves.
-- Filled in by bench/run.sh: ADDR (host:port), COOKIE (an owner's or admin's session).
local addr, cookie = os.getenv("ADDR"), os.getenv("COOKIE")
local pages = { "/strategies/1" }
for need = 1, 30 do pages[#pages + 1] = "/needs/" .. need end
local save_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Accept"] = "application/json",
  ["Origin"] = "http://" .. addr,
  ["Cookie"] = cookie,
}
local counter = 0
-- Each thread counts its pages by how they came (x-cache: hit, miss, stale); done() adds up.
local threads = {}
hit, miss, stale = 0, 0, 0

setup = function(thread)
  threads[#threads + 1] = thread
end

response = function(status, headers, body)
  local cache = headers["x-cache"] or headers["X-Cache"]
  if cache == "hit" then hit = hit + 1
  elseif cache == "miss" then miss = miss + 1
  elseif cache == "stale" then stale = stale + 1 end
end

request = function()
  counter = counter + 1
  if math.random() < 0.1 then
    local body = "subgoal_id=" .. math.random(1, 150) .. "&title=Lastprobe+" .. counter
      .. "&due=2030-01-31&status=planned&weight=1&note="
    return wrk.format("POST", "/api/milestones/record", save_headers, body)
  end
  return wrk.format("GET", pages[math.random(#pages)])
end

done = function(summary)
  -- Status errors are answers >= 400; new milestones never conflict, so any is a failure.
  io.write(string.format("requests %d, status errors %d (socket: connect %d read %d write %d timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
  local hits, misses, stales = 0, 0, 0
  for _, thread in ipairs(threads) do
    hits, misses, stales = hits + thread:get("hit"), misses + thread:get("miss"), stales + thread:get("stale")
  end
  io.write(string.format("pages kept %d, rendered %d, sent stale while rendered again %d\n",
    hits, misses, stales))
end
