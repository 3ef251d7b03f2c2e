-- Shared by the wrk scripts: a per-thread id, a run tag from the command line, a 1 KiB payload,
-- and the bearer token of BENCH_TOKEN on every request when it is set (wrk.format takes
-- wrk.headers only when given no headers: the scripts that give some pass them through headers()).
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function headers(extra)
  extra["Authorization"] = wrk.headers["Authorization"]
  return extra
end
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  wrk_args = args
  tag = args[1] or "run"
  payload = string.rep("x", 1000)
  counter = 0
  math.randomseed(os.time() + id * 7919)
end
