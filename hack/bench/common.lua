-- Shared by the wrk scripts: a per-thread id, a run tag from the command line, a 1 KiB payload.
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
