dofile("hack/bench/common.lua")
request = function()
  counter = counter + 1
  local name = "seed-" .. math.random(0, 999)
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"' .. name .. '"},"data":{"k":"' ..
    payload .. '","applied":"' .. tag .. "-" .. id .. "-" .. counter .. '"}}'
  return wrk.format("PATCH", "/api/v1/namespaces/bench/configmaps/" .. name .. "?fieldManager=bench&force=true",
    headers({["Content-Type"] = "application/apply-patch+yaml"}), body)
end
