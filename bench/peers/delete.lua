-- S3 DeleteObject of a key this thread stored on its previous request: requests alternate PutObject of a
-- distinct 4 KiB body and DeleteObject of that key, so every delete removes a stored object (req/s counts both).
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local pad = string.rep("d", 4096 - 32)
local counter = 0
local tag
request = function()
  tag = tag or (os.time() .. "-" .. tostring(tid or 0))
  counter = counter + 1
  local key = tag .. "-" .. math.floor((counter + 1) / 2)
  if counter % 2 == 1 then
    return wrk.format("PUT", "/bench/d-" .. key, { ["Content-Type"] = "application/octet-stream" }, string.format("%32s", key):sub(1, 32) .. pad)
  end
  return wrk.format("DELETE", "/bench/d-" .. key)
end
