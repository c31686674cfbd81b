-- SQS SendMessage over AWS JSON 1.0; QUEUE_URL comes from the environment (run.sh created the queue).
local queue_url = os.getenv("QUEUE_URL")
local body = '{"QueueUrl":"' .. queue_url .. '","MessageBody":"' .. string.rep("m", 256) .. '"}'
local headers = { ["Content-Type"] = "application/x-amz-json-1.0", ["X-Amz-Target"] = "AmazonSQS.SendMessage" }
request = function()
  return wrk.format("POST", "/", headers, body)
end
