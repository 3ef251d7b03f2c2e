dofile("hack/bench/etcd_common.lua")
local value
request = function()
  value = value or base64(payload)
  counter = counter + 1
  local body = '{"key":"' .. base64(tag .. "-" .. id .. "-" .. counter) .. '","value":"' .. value .. '"}'
  return wrk.format("POST", "/v3/kv/put", {["Content-Type"] = "application/json"}, body)
end
