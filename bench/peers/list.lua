-- S3 ListObjectsV2 of the first 100 keys of the bucket the PUT runs filled.
request = function()
  return wrk.format("GET", "/bench?list-type=2&max-keys=100&prefix=k-")
end
