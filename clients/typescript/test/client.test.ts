// The client against a running service (started by tests/clients/test_typescript_client.py,
// which passes its address and keys): `npm test` compiles this with tsc, so a call that no
// longer matches the generated types fails here before it runs.
import assert from "node:assert/strict";
import { before, test } from "node:test";

import { createFeedbackClient, type Problem, type Schemas } from "feedback-client";

const baseUrl = required("FEEDBACK_BASE_URL");
const ingest = createFeedbackClient({ baseUrl, apiKey: required("FEEDBACK_INGEST_KEY") });
const read = createFeedbackClient({ baseUrl, apiKey: required("FEEDBACK_READ_KEY") });

// This client's events only: the Python client's tests post to the same service.
const location = "ts-client";
const day = 24 * 3600 * 1000;
const window = {
  from: new Date(Date.now() - day).toISOString().slice(0, 10),
  to: new Date(Date.now() + day).toISOString().slice(0, 10),
  tz: "UTC",
  location_id: [location],
};

const single: Schemas["FeedbackIn"] = {
  event_id: "ts-1",
  channel: "pos",
  location_id: location,
  nps: 10,
  comment: "Quick and friendly",
};
const batch: Schemas["FeedbackIn"][] = [
  { event_id: "ts-2", channel: "pos", location_id: location, nps: 9 },
  { event_id: "ts-3", channel: "web", location_id: location, nps: 3 },
  { event_id: "ts-4", channel: "web", location_id: location, nps: 8 },
  { event_id: "ts-5", channel: "pos", location_id: location, nps: 6 },
];

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run by tests/clients/test_typescript_client.py)`);
  return value;
}

before(async () => {
  // The first posts; the tests below replay them.
  const first = await ingest.POST("/v1/feedback", { body: single });
  assert.equal(first.response.status, 201);
  const firstBatch = await ingest.POST("/v1/feedback/batch", { body: { events: batch } });
  assert.equal(firstBatch.data?.accepted, 4);
});

test("a replayed single event answers 200 with the stored event", async () => {
  const { data, error, response } = await ingest.POST("/v1/feedback", { body: single });
  assert.equal(error, undefined);
  assert.equal(response.status, 200);
  assert.equal(data?.event_id, "ts-1");
  assert.equal(data?.nps, 10);
});

test("a replayed batch reports every event as a duplicate", async () => {
  const { data, error } = await ingest.POST("/v1/feedback/batch", { body: { events: batch } });
  assert.equal(error, undefined);
  assert.ok(data);
  assert.deepEqual([data.accepted, data.duplicates, data.rejected], [0, 4, 0]);
  assert.deepEqual(
    data.items.map((item) => [item.event_id, item.status]),
    batch.map((event) => [event.event_id, "duplicate"]),
  );
});

test("the timeseries counts each event once", async () => {
  const { data, error } = await read.GET("/v1/metrics/timeseries", {
    params: { query: { ...window, interval: "day", metrics: ["nps"] } },
  });
  assert.equal(error, undefined);
  assert.ok(data);
  const n = data.rows.reduce((sum, row) => sum + row.n, 0);
  assert.equal(n, 5);
});

test("the breakdown by channel gives each channel's NPS", async () => {
  const { data, error } = await read.GET("/v1/metrics/breakdown", {
    params: { query: { ...window, group_by: "channel", metric: "nps", min_n: 1 } },
  });
  assert.equal(error, undefined);
  assert.ok(data);
  const groups = Object.fromEntries(data.rows.map((row) => [row.group, [row.n, row.value]]));
  // pos: 10, 9, 6 (2 promoters, 1 detractor of 3); web: 3, 8 (1 detractor of 2)
  assert.deepEqual(groups, { pos: [3, 100 / 3], web: [2, -50] });
  assert.equal(data.pooled.n, 5);
});

test("the event list pages with the cursor", async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, error } = await read.GET("/v1/feedback", {
      params: { query: { ...window, limit: 2, cursor } },
    });
    assert.equal(error, undefined);
    assert.ok(data);
    seen.push(...data.items.map((event) => event.event_id));
    cursor = data.next_cursor ?? undefined;
    pages += 1;
  } while (cursor);
  assert.deepEqual([...seen].sort(), ["ts-1", "ts-2", "ts-3", "ts-4", "ts-5"]);
  assert.ok(pages >= 3);
});

test("an invalid event is a typed problem+json error", async () => {
  const { data, error, response } = await ingest.POST("/v1/feedback", {
    body: { event_id: "ts-bad", channel: "pos", nps: 11 },
  });
  assert.equal(data, undefined);
  assert.equal(response.status, 422);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  const problem: Problem | undefined = error;
  assert.ok(problem);
  assert.equal(problem.status, 422);
  assert.deepEqual(
    problem.errors?.map((field) => field.pointer),
    ["#/nps"],
  );
});
