dofile("hack/bench/common.lua")
request = function()
  counter = counter + 1
  local body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"' .. tag .. "-" .. id .. "-" .. counter ..
    '"},"data":{"k":"' .. payload .. '"}}'
  return wrk.format("POST", "/api/v1/namespaces/bench/configmaps", headers({["Content-Type"] = "application/json"}), body)
end
