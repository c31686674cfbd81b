-- A test suite's mix, in turns: S3 PutObject of a distinct 4 KiB body (bench/peers/put.lua's request), GetObject of
-- /bench/seed, SQS SendMessage and ReceiveMessage (AWS JSON 1.0) on QUEUE_URL. Used by bench/warmup/run.sh (run from
-- the repository's root) to watch an engine's first seconds.
dofile("bench/peers/put.lua")
local put = request
local queue_url = os.getenv("QUEUE_URL")
local sqs = { ["Content-Type"] = "application/x-amz-json-1.0" }
local send = '{"QueueUrl":"' .. queue_url .. '","MessageBody":"' .. string.rep("m", 256) .. '"}'
local receive = '{"QueueUrl":"' .. queue_url .. '","MaxNumberOfMessages":1,"VisibilityTimeout":0}'
local turn = 0
request = function()
  turn = (turn + 1) % 4
  if turn == 0 then
    return put()
  elseif turn == 1 then
    return wrk.format("GET", "/bench/seed")
  elseif turn == 2 then
    sqs["X-Amz-Target"] = "AmazonSQS.SendMessage"
    return wrk.format("POST", "/", sqs, send)
  end
  sqs["X-Amz-Target"] = "AmazonSQS.ReceiveMessage"
  return wrk.format("POST", "/", sqs, receive)
end
