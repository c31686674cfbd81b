-- Stores FILL (default 100,000) distinct 4 KiB objects over all threads, then each thread stops (the memory
-- phase of run.sh; wrk's duration is set long enough by run.sh and the rest of it is idle).
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
  thread:set("share", math.floor(tonumber(os.getenv("FILL") or "100000") / tonumber(os.getenv("THREADS") or "2")))
end
local pad = string.rep("f", 4096 - 32)
local counter = 0
request = function()
  counter = counter + 1
  local key = tostring(tid or 0) .. "-" .. counter
  return wrk.format("PUT", "/bench/f-" .. key, { ["Content-Type"] = "application/octet-stream" }, string.format("%32s", key):sub(1, 32) .. pad)
end
response = function()
  if counter >= share then
    wrk.thread:stop()
  end
end
