-- A test suite's mix, in turns: S3 PutObject of a distinct 4 KiB body, GetObject of /bench/seed, SQS SendMessage and
-- ReceiveMessage (AWS JSON 1.0) on QUEUE_URL. Used by bench/warmup/run.sh to watch an engine's first seconds.
local queue_url = os.getenv("QUEUE_URL")
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local pad = string.rep("x", 4096 - 32)
local sqs = { ["Content-Type"] = "application/x-amz-json-1.0" }
local send = '{"QueueUrl":"' .. queue_url .. '","MessageBody":"' .. string.rep("m", 256) .. '"}'
local receive = '{"QueueUrl":"' .. queue_url .. '","MaxNumberOfMessages":1,"VisibilityTimeout":0}'
local counter = 0
local tag
request = function()
  tag = tag or (os.time() .. "-" .. tostring(tid or 0) .. "-" .. math.random(1, 1000000))
  counter = counter + 1
  local turn = counter % 4
  if turn == 0 then
    local key = tag .. "-" .. counter
    return wrk.format("PUT", "/bench/k-" .. key, { ["Content-Type"] = "application/octet-stream" }, string.format("%32s", key):sub(1, 32) .. pad)
  elseif turn == 1 then
    return wrk.format("GET", "/bench/seed")
  elseif turn == 2 then
    sqs["X-Amz-Target"] = "AmazonSQS.SendMessage"
    return wrk.format("POST", "/", sqs, send)
  end
  sqs["X-Amz-Target"] = "AmazonSQS.ReceiveMessage"
  return wrk.format("POST", "/", sqs, receive)
end
