dofile("hack/bench/common.lua")
-- Arguments: tag, plural (of a custom resource in bench.example.com/v1 with objects seed-0 … seed-999).
request = function()
  return wrk.format("GET", "/apis/bench.example.com/v1/namespaces/bench/" .. wrk_args[2] .. "/seed-" .. math.random(0, 999))
end
