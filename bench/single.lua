-- wrk script: POST /v1/feedback with realistic events, a unique event_id per request.
-- Usage: wrk ... -s bench/single.lua http://127.0.0.1:PORT/v1/feedback -- TOKEN RUN_TAG
-- The same script drives the service and the constant-route ceiling, so both pay
-- the same load-generator cost. done() prints one line, "BENCH_RESULT {json}".

local threads = {}
local counter = 0
local prefixes = {}
local suffixes = {}
local tag = "x"

local channels = {"pos", "pos", "web", "app", "kiosk", "email", "sms", "phone", "chat", "in_person"}
local touchpoints = {"checkout", "delivery", "support_call", "returns", "check_in"}
local comments = {
  "Quick and friendly checkout.",
  "Waited twenty minutes at the counter, nobody told us why.",
  "Great advice from the staff about the warranty.",
  "Delivery came a day late and the box was damaged.",
}
local tags = {"checkout", "staff", "price", "wait_time", "cleanliness"}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

local function pick(list)
  return list[math.random(#list)]
end

-- One event without its id, as the text before and after the event_id value.
local function variant()
  local occurred = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - math.random(60, 3 * 86400))
  local parts = {
    string.format('"occurred_at":"%s","channel":"%s","touchpoint":"%s","location_id":"store-%03d"',
      occurred, pick(channels), pick(touchpoints), math.random(1, 120)),
    string.format('"employee_id":"emp-%d"', math.random(1000, 1999)),
    string.format('"respondent":{"id":"crm-%d","segment":"gold"}', math.random(1, 1000000)),
    string.format('"nps":%d', math.random(0, 10)),
  }
  if math.random() < 0.5 then
    table.insert(parts, string.format('"csat":%d', math.random(1, 5)))
  end
  if math.random() < 0.3 then
    table.insert(parts, string.format('"ces":%d', math.random(1, 7)))
  end
  if math.random() < 0.2 then
    table.insert(parts, string.format(
      '"servqual":{"reliability":{"perception":%d,"expectation":%d},"empathy":{"perception":%d}}',
      math.random(1, 7), math.random(4, 7), math.random(1, 7)))
  end
  if math.random() < 0.35 then
    table.insert(parts, string.format('"comment":"%s","language":"en"', pick(comments)))
  end
  table.insert(parts, string.format('"tags":["%s","%s"]', pick(tags), pick(tags)))
  table.insert(parts, string.format(
    '"attributes":{"basket_size":%d,"loyalty_member":%s}',
    math.random(1, 12), math.random() < 0.4 and "true" or "false"))
  return '{"event_id":"', '",' .. table.concat(parts, ",") .. "}"
end

function init(args)
  tag = args[2] or "x"
  math.randomseed(os.time() * 100 + thread_id)
  for i = 1, 64 do
    prefixes[i], suffixes[i] = variant()
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (args[1] or "none")
end

function request()
  counter = counter + 1
  local i = counter % 64 + 1
  local id = string.format("s-%s-%d-%d", tag, thread_id, counter)
  return wrk.format(nil, nil, nil, prefixes[i] .. id .. suffixes[i])
end

function done(summary, latency, requests)
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
