dofile("hack/bench/common.lua")
request = function()
  counter = counter + 1
  local name = "seed-" .. math.random(0, 999)
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"' .. name .. '"},"data":{"k":"' ..
    payload .. '","n":"' .. counter .. '"}}'
  return wrk.format("PUT", "/api/v1/namespaces/bench/configmaps/" .. name, headers({["Content-Type"] = "application/json"}), body)
end
