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
end
