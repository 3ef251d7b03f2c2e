dofile("hack/bench/common.lua")
request = function()
  counter = counter + 1
  local name = "seed-" .. math.random(0, 999)
  local body = '{"data":{"n":"' .. tag .. "-" .. id .. "-" .. counter .. '"}}'
  return wrk.format("PATCH", "/api/v1/namespaces/bench/configmaps/" .. name, headers({["Content-Type"] = "application/merge-patch+json"}), body)
end
