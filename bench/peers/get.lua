-- S3 GetObject of the 4 KiB object run.sh put at /bench/seed.
request = function()
  return wrk.format("GET", "/bench/seed")
end
