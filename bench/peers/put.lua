-- S3 PutObject of a distinct 4 KiB body under a new key (the key leads the body): every request stores new
-- content, so no emulator can skip the write of a body it already holds. The tag is the thread's number and
-- the start time, so threads and later runs against the same server never repeat a key or a body.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local pad = string.rep("x", 4096 - 32)
local counter = 0
local tag
request = function()
  tag = tag or (os.time() .. "-" .. tostring(tid or 0))
  counter = counter + 1
  local key = tag .. "-" .. counter
  return wrk.format("PUT", "/bench/k-" .. key, { ["Content-Type"] = "application/octet-stream" }, string.format("%32s", key):sub(1, 32) .. pad)
end
