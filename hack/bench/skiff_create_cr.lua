dofile("hack/bench/common.lua")
-- Arguments: tag, plural, kind (of a custom resource in bench.example.com/v1, namespace bench).
request = function()
  counter = counter + 1
  local body = '{"apiVersion":"bench.example.com/v1","kind":"' .. wrk_args[3] .. '","metadata":{"name":"' .. tag .. "-" .. id ..
    "-" .. counter .. '"},"spec":{"size":' .. (counter % 50) .. ',"color":"blue","payload":"' .. payload .. '"}}'
  return wrk.format("POST", "/apis/bench.example.com/v1/namespaces/bench/" .. wrk_args[2], headers({["Content-Type"] = "application/json"}), body)
end
