-- DynamoDB PutItem of a distinct ~300-byte item per request (the thread's number and the start time lead the key),
-- so the table, its journal and its checkpoints grow as they would under a write-heavy test suite.
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
local tag
local pad = string.rep("v", 200)
local headers = { ["Content-Type"] = "application/x-amz-json-1.0", ["X-Amz-Target"] = "DynamoDB_20120810.PutItem" }
request = function()
  tag = tag or (os.time() .. "-" .. tostring(tid or 0))
  counter = counter + 1
  local body = '{"TableName":"bench","Item":{"pk":{"S":"' .. tag .. "-" .. counter .. '"},"v":{"S":"' .. pad .. '"}}}'
  return wrk.format("POST", "/", headers, body)
end
