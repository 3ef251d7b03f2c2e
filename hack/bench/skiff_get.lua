dofile("hack/bench/common.lua")
request = function()
  return wrk.format("GET", "/api/v1/namespaces/bench/configmaps/seed-" .. math.random(0, 999))
end
