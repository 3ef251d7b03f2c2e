dofile("hack/bench/etcd_common.lua")
local keys = {}
request = function()
  local n = math.random(0, 999)
  keys[n] = keys[n] or base64("seed-" .. n)
  return wrk.format("POST", "/v3/kv/range", {["Content-Type"] = "application/json"}, '{"key":"' .. keys[n] .. '"}')
end
