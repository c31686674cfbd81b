-- SQS ReceiveMessage then DeleteMessage of the message received (AWS JSON 1.0), in turns, on the queue the
-- send runs filled. QUEUE_URL comes from the environment. Each thread counts the messages it received; done()
-- prints "received <n>" so run.sh can tell an empty queue (cheap empty receives) from real work.
-- A wrk thread serves several connections with one Lua state, and a connection's next request is written only when
-- its socket is writable again, after other connections' responses may have run: the receipt handles wait in a
-- per-thread FIFO, so every received message is deleted (a single variable lost about a third of the deletes at 8
-- connections, leaving thousands of messages in flight that later receives had to step over).
local queue_url = os.getenv("QUEUE_URL")
local threads_list = {}
setup = function(thread)
  table.insert(threads_list, thread)
end
local receive = '{"QueueUrl":"' .. queue_url .. '","MaxNumberOfMessages":1,"VisibilityTimeout":30}'
local receive_headers = { ["Content-Type"] = "application/x-amz-json-1.0", ["X-Amz-Target"] = "AmazonSQS.ReceiveMessage" }
local delete_headers = { ["Content-Type"] = "application/x-amz-json-1.0", ["X-Amz-Target"] = "AmazonSQS.DeleteMessage" }
local handles = {}
local first, last = 1, 0
received = 0
request = function()
  if first <= last then
    local handle = handles[first]
    handles[first] = nil
    first = first + 1
    local body = '{"QueueUrl":"' .. queue_url .. '","ReceiptHandle":"' .. handle .. '"}'
    return wrk.format("POST", "/", delete_headers, body)
  end
  return wrk.format("POST", "/", receive_headers, receive)
end
response = function(status, headers, body)
  local found = body and body:match('"ReceiptHandle"%s*:%s*"([^"]+)"')
  if found then
    last = last + 1
    handles[last] = found
    received = received + 1
  end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads_list) do
    total = total + (thread:get("received") or 0)
  end
  io.write("received " .. total .. "\n")
end
