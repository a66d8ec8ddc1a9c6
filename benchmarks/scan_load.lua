-- wrk script: single-scan POSTs, each with a unique serial and idempotency key,
-- spread over the shipment ids given after `--` (comma separated).
-- Set PATH_MODE=echo to send the same bodies to /echo instead.
local counter = 0
local tid = 0
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function init(args)
  shipments = {}
  for id in string.gmatch(args[1] or "1", "[^,]+") do
    table.insert(shipments, id)
  end
  echo = (args[2] == "echo")
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (args[3] or "")
  -- Distinguishes the serials and keys of several wrk processes run at once.
  run = args[4] or ""
end

function request()
  counter = counter + 1
  local shipment = shipments[(counter % #shipments) + 1]
  local serial = string.format("W%s%dN%d", run, tid, counter)
  local body = '{"raw": "]d201003002415350271730123110LOT42\\u001d21' .. serial ..
    '", "idempotency_key": "wrk-' .. run .. tid .. '-' .. counter .. '"}'
  local path = echo and "/echo" or ("/api/v1/shipments/" .. shipment .. "/scans")
  return wrk.format("POST", path, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
