-- S3 PutObject of a 4 KiB body under a key no other request uses (wrk runs one Lua state per thread).
local body = string.rep("x", 4096)
local thread_tag = tostring(math.random(1, 1e9))
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/bench/k-" .. thread_tag .. "-" .. counter, { ["Content-Type"] = "application/octet-stream" }, body)
end
