// The feedback dashboard: the reference client of the public API.
//
// Everything on the page comes from GET requests to /v1 with a read key that the
// user types. The key is kept in this browser only (sessionStorage, or localStorage
// when "remember" is ticked) and sent only as the `Authorization: Bearer` header
// of fetch() calls: never in a URL, never in a cookie. Every error the API gives is
// RFC 9457 problem+json; its `title` and `detail` are shown as they are.
//
// Sections: 1. the key  2. calling the API  3. the window and filters
// 4. loading  5. drawing (plain SVG, no library)  6. the page's wiring.

// ------------------------------------------------------------------ 1. the key

const KEY_ITEM = "feedback.dashboard.key";

/** The key and where it is kept, or null. */
function storedKey() {
  const session = sessionStorage.getItem(KEY_ITEM);
  if (session) return { key: session, remembered: false };
  const local = localStorage.getItem(KEY_ITEM);
  return local ? { key: local, remembered: true } : null;
}

function keepKey(key, remember) {
  forgetKey();
  (remember ? localStorage : sessionStorage).setItem(KEY_ITEM, key);
}

function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
  localStorage.removeItem(KEY_ITEM);
}

// ------------------------------------------------------------------ 2. calling the API

/** An error answer of the API: its problem+json document (type, title, status, detail). */
class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

/**
 * GET /v1<path> with the key as a Bearer token; resolves to the parsed JSON body.
 *
 * `params` become the query string. Arrays repeat the parameter
 * (`status=open&status=contacted`); null, undefined and "" are left out.
 */
async function api(key, path, params = {}) {
  const url = new URL(`/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    for (const v of [value].flat()) {
      if (v !== null && v !== undefined && v !== "") url.searchParams.append(name, v);
    }
  }
  return getJson(key, url);
}

/**
 * A request the API itself wrote down ("/v1/metrics/summary?from=...", an alert's
 * evidence), asked as it is. Only a path of this origin under /v1/: the key goes
 * nowhere else, whatever the string says.
 */
async function apiRequest(key, request) {
  const url = new URL(request, window.location.origin);
  if (url.origin !== window.location.origin || !url.pathname.startsWith("/v1/")) {
    throw new ApiProblem({ title: "Not a request of this API", detail: request });
  }
  return getJson(key, url);
}

async function getJson(key, url) {
  let response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${key}`, Accept: "application/json" },
      credentials: "omit", // the key is the only credential; no cookies
      cache: "no-store", // the API says no-store too: answers hold personal data
    });
  } catch {
    throw new ApiProblem({ title: "The service does not answer", detail: "Check the connection and try again." });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    // Every error is problem+json; anything else (a proxy's HTML page) is described.
    throw new ApiProblem(body && body.title ? body : { title: `HTTP ${response.status}`, status: response.status });
  }
  return body;
}

/** Every page of a keyset-paginated list (`items`, `next_cursor`), up to `maxPages`. */
async function allPages(key, path, params, maxPages) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer = await api(key, path, { ...params, cursor });
    items.push(...answer.items);
    cursor = answer.next_cursor;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

// ------------------------------------------------------------------ 3. the window and filters

// The three scores the dashboard shows. `metric` is the name in the API's tidy rows
// and `metric=` parameters; the scales are docs/metrics.md's.
const SCORES = [
  { metric: "nps", label: "NPS", domain: [-100, 100], digits: 1, unit: "", about: "promoters minus detractors, −100 to 100" },
  { metric: "csat", label: "CSAT", domain: [0, 100], digits: 1, unit: " %", about: "satisfied (4–5 of 5), share of answers" },
  { metric: "ces", label: "CES", domain: [1, 7], digits: 2, unit: "", about: "mean ease, 1 (hard) to 7 (easy)" },
];
const SCORE = Object.fromEntries(SCORES.map((s) => [s.metric, s]));

/** Local calendar date as YYYY-MM-DD (what the API reads as local midnight in `tz`). */
function isoDate(d) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The last `days` whole local days, today included: `from`, `to` (exclusive), `tz`. */
function windowOf(days, tz) {
  const now = new Date();
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const from = new Date(to.getFullYear(), to.getMonth(), to.getDate() - days);
  return { from: isoDate(from), to: isoDate(to), tz };
}

// The browser's zone, so weeks and days are the reader's; UTC if the API knows it not.
let zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function chosenFilters() {
  const days = Number(document.getElementById("period").value);
  return {
    days,
    interval: days > 120 ? "month" : "week",
    location: document.getElementById("location").value,
    channel: document.getElementById("channel").value,
    metric: document.getElementById("consistency-metric").value,
    outcome: document.getElementById("drivers-outcome").value,
  };
}

// ------------------------------------------------------------------ 4. loading

/**
 * Every call the page makes, in parallel; each answer is drawn by section 5.
 * `drivers` is still a promise: the slowest answer, drawn when it comes (section 6).
 */
async function fetchAll(key, f) {
  const window_ = windowOf(f.days, zone);
  const dims = { location_id: f.location, channel: f.channel };
  // Headline figures: each with value, n, ci_low, ci_high, low_sample. Asked first and
  // alone: a wrong key then costs one failed key check, not six (the service counts
  // failed checks per client address and refuses with 429 beyond its limit).
  const summary = await api(key, "/metrics/summary", { ...window_, ...dims, metrics: "nps,csat,ces,volume" });
  // What goes with the score (docs/metrics.md, "Drivers"): it reads every respondent
  // and fits a model with its bootstrap, so it is asked alongside the others but not
  // waited for here. Its failure, or too few answers, is its own card's.
  const drivers = keyDrivers(key, window_, dims, f.outcome).catch((error) => ({ error }));
  // The work queue's filters: cases not closed yet, whatever the period.
  const waiting = { status: ["open", "contacted"], ...dims };
  const [series, consistency, channels, loop, cases, queue, alerts, themes] = await Promise.all([
    // Trends: tidy rows {bucket_start, metric, value, n, ci_low, ci_high, low_sample}.
    api(key, "/metrics/timeseries", { ...window_, ...dims, interval: f.interval, metrics: "nps,csat,ces" }),
    // Branches against the chain: all branches (no location filter), flagged below/above.
    api(key, "/metrics/consistency", { ...window_, channel: f.channel, group_by: "location_id", metric: f.metric }),
    // The channels with events, for the channel filter.
    api(key, "/metrics/breakdown", { ...window_, location_id: f.location, group_by: "channel", metric: "volume", sort: "n" }),
    // Closing the loop: the SLA within which an unhappy customer must be reached.
    api(key, "/metrics/follow-ups", { ...window_, ...dims }),
    // The work queue: its oldest cases (up to five pages), and every case it holds
    // counted by the API, with how many are overdue (its pages need not all be read).
    allPages(key, "/follow-ups", { ...waiting, limit: 200 }, 5),
    api(key, "/follow-ups/summary", waiting),
    // What the alert worker noticed (docs/alerts.md): the open alerts, newest first,
    // whatever the period; the branch filter applies (a key bound to a branch sees only
    // its own). A failure is kept to be shown in its card: the rest of the page stands.
    allPages(key, "/alerts", { status: "open", location_id: f.location, limit: 100 }, 3).catch((error) => ({ error })),
    // What the comments are about, with a few of them (docs/text.md). Its own card's
    // failure too, like the alerts.
    topThemes(key, window_, dims).catch((error) => ({ error })),
  ]);
  return { window: window_, summary, series, consistency, channels, loop, cases, queue, alerts, themes, drivers };
}

// The top themes card: how many themes it lists, how many comments of each it quotes,
// how many of those requests are in flight at once, and how much of a comment it shows.
const TOP_THEMES = 6;
const EXAMPLES = 2;
const EXAMPLE_CALLS = 3;
const EXAMPLE_CHARS = 160;

/** `work(item)` for every item, at most `limit` at a time; the results in the items' order. */
async function mapLimit(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next;
      next += 1;
      results[i] = await work(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The themes the selection's comments mention most, each with a few of its comments.
 *
 * GET /v1/metrics/themes answers, per theme in force, the most mentioned first: among
 * the enriched comments of the selection (`comments`), those that mention it
 * (`mentions`), their `share` with its 95 % interval, their `sentiment` mix, the NPS of
 * the respondents who mention it against the other commenters (`mentioning`,
 * `not_mentioning`, `difference`), and its `change` against the window of equal length
 * before. Then, for each theme shown, GET /v1/feedback?theme=... lists its comments
 * (oldest first; every respondent type unless asked, so `respondent_type=customer`,
 * the population of the metrics). A failed example call fails only its own theme.
 */
async function topThemes(key, window_, dims) {
  const report = await api(key, "/metrics/themes", { ...window_, ...dims });
  const top = report.rows.filter((r) => r.mentions > 0).slice(0, TOP_THEMES);
  const examples = await mapLimit(top, EXAMPLE_CALLS, (row) =>
    api(key, "/feedback", {
      ...window_, ...dims, theme: row.theme, has_comment: true, respondent_type: "customer", limit: EXAMPLES,
    }).then((page) => page.items, (error) => ({ error })));
  return { report, top, examples };
}

// Bootstrap replicates behind the drivers' intervals: the API's default is 500; 200
// draw the same picture in less time (the interval ends move by a few tenths).
const DRIVER_REPLICATES = 200;

/**
 * Key driver analysis of the selection: which drivers go with the outcome, how strongly,
 * and where the most is to gain (docs/metrics.md, "Drivers").
 *
 * GET /v1/metrics/drivers, with the default drivers (the five SERVQUAL perceptions,
 * touchpoint, channel, segment, acquisition source), answers the most important first:
 * per driver its `importance` (percent of the model's R², the Shapley value or LMG)
 * with a 95 % interval, its `score` (performance, 0-100), its `opportunity` (the
 * outcome's expected gain, in its own points, if the respondents on its weak side
 * reached the median) with an interval, its `quadrant` and whether it is `collinear`;
 * the model's `r2` with its interval, `n`, the drivers `dropped` and why, and a `note`.
 * Too few answers for a model: a 422 problem whose errors[0].type is
 * "insufficient_data" and whose message says how many there are and are needed.
 */
function keyDrivers(key, window_, dims, outcome) {
  return api(key, "/metrics/drivers", { ...window_, ...dims, outcome, replicates: DRIVER_REPLICATES });
}

// ------------------------------------------------------------------ 5. drawing

/** An HTML element: el("td", {class: "num"}, "12"). Text is always text, never HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

/** A wide table that scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it. */
function scrollBox(label, table) {
  return el("div", { class: "scroll", tabindex: "0", role: "group", "aria-label": label }, table);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element; presentation attributes only (the CSP allows no inline style). */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

function formatScore(metric, value) {
  const s = SCORE[metric];
  return `${value.toFixed(s.digits)}${s.unit}`;
}

function formatInterval(metric, low, high) {
  if (low === null || high === null) return "no interval";
  return `${formatScore(metric, low)} to ${formatScore(metric, high)}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A bucket's label: "3 Nov" for weeks and days, "Nov 2026" for months. */
function bucketLabel(bucketStart, interval) {
  // bucket_start is the local start with its offset; the date part is the local date.
  const [y, m, d] = bucketStart.slice(0, 10).split("-").map(Number);
  const date = new Date(y, m - 1, d);
  return interval === "month" ? monthFormat.format(date) : dateFormat.format(date);
}

/** "3 d 4 h", "5 h", "40 min" */
function duration(ms) {
  const minutes = Math.round(Math.abs(ms) / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return `${hours} h`;
  return `${minutes} min`;
}

/** Round numbers for an axis from lo to hi, about `count` of them. */
function ticks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(6)));
  return out;
}

/** The axis range: the intervals shown, padded, within the score's scale. */
function domainOf(metric, values) {
  const [min, max] = SCORE[metric].domain;
  const shown = values.filter((v) => v !== null && v !== undefined);
  if (shown.length === 0) return [min, max];
  let lo = Math.min(...shown);
  let hi = Math.max(...shown);
  const pad = Math.max((hi - lo) * 0.15, (max - min) * 0.05);
  lo = Math.max(min, lo - pad);
  hi = Math.min(max, hi + pad);
  const t = ticks(lo, hi, 4);
  const step = t.length > 1 ? t[1] - t[0] : (max - min) / 4;
  return [Math.max(min, Math.floor(lo / step) * step), Math.min(max, Math.ceil(hi / step) * step)];
}

/** How a figure reads when it must not be read as a number. */
function tooFew(figure, minN) {
  if (figure.n === 0) return "No answers";
  return `Too few answers (n = ${figure.n}, needs ${minN})`;
}

function drawOverview(summary) {
  const box = document.getElementById("overview");
  const volume = summary.metrics.volume;
  const cards = SCORES.map(({ metric, label, about }) => {
    const figure = summary.metrics[metric];
    const readable = figure.value !== null && !figure.low_sample;
    return el(
      "article",
      { class: `card${readable ? "" : " muted"}`, "data-metric": metric },
      el("h3", {}, label),
      readable
        ? el("p", { class: "big" }, formatScore(metric, figure.value))
        : el("p", { class: "big too-few" }, tooFew(figure, summary.min_n)),
      readable ? el("p", { class: "interval" }, `95 % interval ${formatInterval(metric, figure.ci_low, figure.ci_high)}`) : null,
      el("p", { class: "n" }, `n = ${figure.n.toLocaleString()}`),
      el("p", { class: "about" }, about),
    );
  });
  cards.push(
    el(
      "article",
      { class: "card", "data-metric": "volume" },
      el("h3", {}, "Feedback"),
      el("p", { class: "big" }, volume.n.toLocaleString()),
      el("p", { class: "about" }, "external customers' answers in the period, with or without scores"),
    ),
  );
  box.replaceChildren(...cards);
}

// The n labels under a trend chart (10 px, tabular digits: .chart .n-label): the widest
// digit of the usual sans-serif fonts (DejaVu Sans 6.4 px, Noto Sans 5.7, Arial 5.6), and
// the least space between two labels, in pixels.
const N_DIGIT_WIDTH = 6.5;
const N_GAP = 6;

/** One score over time: dots with interval whiskers, and the same as a table. */
function trendChart(metric, rows, interval, minN, width) {
  const { label } = SCORE[metric];
  // Drawn at the width it is shown at (1 unit = 1 CSS pixel), so text keeps its size.
  const height = 214, left = 40, right = 10, top = 12, bottom = 40;
  const [lo, hi] = domainOf(metric, rows.flatMap((r) => [r.ci_low, r.ci_high]));
  const x = (i) => left + ((i + 0.5) * (width - left - right)) / rows.length;
  const y = (v) => top + ((hi - v) * (height - top - bottom)) / (hi - lo);
  const id = `trend-${metric}`;
  const shown = rows.filter((r) => r.value !== null);

  const grid = ticks(lo, hi, 4).map((t) =>
    svg("g", { class: "tick" },
      svg("line", { x1: left, x2: width - right, y1: y(t), y2: y(t) }),
      svg("text", { x: left - 6, y: y(t) + 4, "text-anchor": "end" }, String(t))));
  const every = Math.ceil(rows.length / Math.max(2, Math.floor(width / 70))); // labels fit
  const labels = rows.map((r, i) =>
    i % every === 0 ? svg("text", { class: "x-label", x: x(i), y: height - 22, "text-anchor": "middle" }, bucketLabel(r.bucket_start, interval)) : null);
  // The n of the buckets under the axis, as many as fit: every k-th bucket, k the smallest
  // step at which the widest label keeps a gap to the next. Each dot's tooltip and the
  // table below have every n.
  const slot = (width - left - right) / rows.length;
  const widest = Math.max(1, ...rows.map((r) => String(r.n).length)) * N_DIGIT_WIDTH + N_GAP;
  const nEvery = Math.max(1, Math.ceil(widest / slot));
  const ns = [
    svg("text", { class: "n-label", x: left - 6, y: height - 6, "text-anchor": "end" }, "n"),
    ...rows.map((r, i) => (i % nEvery === 0 ? svg("text", { class: "n-label", x: x(i), y: height - 6, "text-anchor": "middle" }, String(r.n)) : null)),
  ];
  // A line through consecutive buckets that have a value (empty buckets break it).
  const segments = [];
  rows.forEach((r, i) => {
    const next = rows[i + 1];
    if (r.value !== null && next && next.value !== null) {
      segments.push(svg("line", { class: "trend-line", x1: x(i), y1: y(r.value), x2: x(i + 1), y2: y(next.value) }));
    }
  });
  const marks = rows.map((r, i) => {
    if (r.value === null) return null;
    const cls = r.low_sample ? "mark low" : "mark";
    return svg("g", { class: cls },
      r.ci_low !== null ? svg("line", { class: "whisker", x1: x(i), x2: x(i), y1: y(r.ci_low), y2: y(r.ci_high) }) : null,
      svg("circle", { cx: x(i), cy: y(r.value), r: 4.5 }),
      svg("title", {}, `${bucketLabel(r.bucket_start, interval)}: ${formatScore(metric, r.value)}, 95 % interval ${formatInterval(metric, r.ci_low, r.ci_high)}, n = ${r.n}`));
  });
  const description = shown.length
    ? `${label} for ${rows.length} periods, from ${formatScore(metric, Math.min(...shown.map((r) => r.value)))} to ${formatScore(metric, Math.max(...shown.map((r) => r.value)))}. The table below has every value.`
    : `No ${label} answers in the period.`;

  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title ${id}-desc`, class: "chart" },
    svg("title", { id: `${id}-title` }, `${label} by ${interval}`),
    svg("desc", { id: `${id}-desc` }, description),
    grid, labels, ns, segments, marks);

  const table = el("table", {},
    el("caption", {}, `${label} by ${interval}`),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, interval === "month" ? "Month" : "Week of"), el("th", { scope: "col" }, label), el("th", { scope: "col" }, "95 % interval"), el("th", { scope: "col" }, "n"))),
    el("tbody", {}, rows.map((r) => el("tr", {},
      el("th", { scope: "row" }, bucketLabel(r.bucket_start, interval)),
      el("td", { class: "num" }, r.value === null ? "no answers" : r.low_sample ? `too few answers` : formatScore(metric, r.value)),
      el("td", { class: "num" }, r.value === null || r.low_sample ? "" : formatInterval(metric, r.ci_low, r.ci_high)),
      el("td", { class: "num" }, String(r.n))))));

  return el("figure", { class: "trend", id },
    el("figcaption", {}, el("strong", {}, label), ` by ${interval}`, el("span", { class: "min-n" }, ` · hollow: n < ${minN}`)),
    chart,
    el("details", {}, el("summary", {}, `${label} as a table`), table));
}

function drawTrends(series, interval, minN) {
  // Place empty figures first to learn the width the layout gives each chart.
  const places = SCORES.map(() => el("figure", { class: "trend" }));
  document.getElementById("trends").replaceChildren(...places);
  SCORES.forEach(({ metric }, i) => {
    const rows = series.rows.filter((r) => r.metric === metric);
    places[i].replaceWith(trendChart(metric, rows, interval, minN, Math.max(260, places[i].clientWidth)));
  });
}

/**
 * A difference from the chain in the score's units: "+4.2", "−12.0", "+5.1 pts" (CSAT).
 * Short of `min` (the minimum change), with the digits it takes not to read as `min`:
 * −9.99, not −10.0 beside a minimum of 10.
 */
function formatDifference(metric, d, min = null) {
  const { unit } = SCORE[metric];
  let { digits } = SCORE[metric];
  while (min !== null && Math.abs(d) < min && Number(Math.abs(d).toFixed(digits)) >= min && digits < 6) digits += 1;
  const text = fixed(d, digits);
  return `${d > 0 && Number(text) !== 0 ? "+" : ""}${text}${unit ? " pts" : ""}`;
}

/**
 * Each branch's score and interval on one axis, against the chain's (pooled) score.
 *
 * GET /v1/metrics/consistency flags a branch `below` or `above` when its whole interval
 * lies below or above the chain's score: significant. With many answers that is true of
 * small differences too, so each row also has its `difference` from the chain and whether
 * it reaches the answer's `min_change` (`practical`; the alert rules' minimum change of
 * the metric by default). The card flags a branch only when it is both; significant but
 * smaller than that is shown as "small".
 */
function drawConsistency(c, selected) {
  const box = document.getElementById("consistency");
  const { metric } = c;
  const { label } = SCORE[metric];
  if (c.rows.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, "No branch has answers in the period."));
    return;
  }
  const readable = (r) => r.value !== null && !r.low_sample;
  const flagOf = (r) => (r.flag && r.practical !== false ? r.flag : null); // both
  const small = (r) => Boolean(r.flag) && r.practical === false; // significant only
  const minChange = c.min_change === null ? null : `${fixed(c.min_change, SCORE[metric].digits)}${SCORE[metric].unit ? " pts" : ""}`;
  const against = (r) => {
    if (!readable(r)) return "not compared";
    if (flagOf(r)) return flagOf(r);
    return small(r) ? `${r.flag}, by less than ${minChange}` : "within";
  };
  // At the width shown; on a narrow screen each branch's name and figures go on a
  // line of their own above its interval.
  const width = Math.max(280, box.clientWidth);
  const narrow = width < 560;
  const rowHeight = narrow ? 44 : 30, left = narrow ? 8 : 130, right = narrow ? 8 : 200, top = 26;
  const height = top + rowHeight * c.rows.length + 8;
  const bounds = c.rows.filter(readable).flatMap((r) => [r.ci_low, r.ci_high]);
  if (c.pooled.value !== null) bounds.push(c.pooled.ci_low, c.pooled.ci_high);
  const [lo, hi] = domainOf(metric, bounds);
  const x = (v) => left + ((v - lo) * (width - left - right)) / (hi - lo);
  const y = (i) => top + rowHeight * i + (narrow ? 30 : rowHeight / 2);
  const textY = (i) => (narrow ? y(i) - 12 : y(i) + 4);
  const name = (r) => (r.group === null ? "(no branch)" : r.group);

  const axis = ticks(lo, hi, 5).map((t) =>
    svg("g", { class: "tick" },
      svg("line", { x1: x(t), x2: x(t), y1: top - 4, y2: height - 4 }),
      svg("text", { x: x(t), y: top - 10, "text-anchor": "middle" }, String(t))));
  const pooled = c.pooled.value === null ? [] : [
    c.pooled.ci_low !== null ? svg("rect", { class: "pooled-band", x: x(c.pooled.ci_low), y: top - 4, width: Math.max(1, x(c.pooled.ci_high) - x(c.pooled.ci_low)), height: height - top }) : null,
    svg("line", { class: "pooled", x1: x(c.pooled.value), x2: x(c.pooled.value), y1: top - 4, y2: height - 4 }),
  ];
  const rows = c.rows.map((r, i) => {
    const flag = flagOf(r) ? ` ${flagOf(r)}` : small(r) ? " small" : "";
    const cls = `branch${flag}${readable(r) ? "" : " low"}${r.group === selected ? " selected" : ""}`;
    const status = readable(r)
      ? `${formatScore(metric, r.value)} · n ${r.n}${r.difference === null ? "" : ` · ${formatDifference(metric, r.difference, c.min_change)}`}${flagOf(r) ? ` · ${flagOf(r)}` : small(r) ? " · small" : ""}`
      : (r.n === 0 ? "no answers" : `too few (n ${r.n})`);
    return svg("g", { class: cls, "data-group": name(r) },
      svg("text", { class: "branch-name", x: narrow ? left : left - 10, y: textY(i), "text-anchor": narrow ? "start" : "end" }, name(r)),
      readable(r) ? [
        svg("line", { class: "whisker", x1: x(r.ci_low), x2: x(r.ci_high), y1: y(i), y2: y(i) }),
        svg("circle", { cx: x(r.value), cy: y(i), r: 5 }),
      ] : [],
      svg("text", { class: "branch-status", x: narrow ? width - right : width - right + 10, y: textY(i), "text-anchor": narrow ? "end" : "start" }, status),
      svg("title", {}, `${name(r)}: ${readable(r) ? `${formatScore(metric, r.value)}, 95 % interval ${formatInterval(metric, r.ci_low, r.ci_high)}${r.difference === null ? "" : `, ${formatDifference(metric, r.difference, c.min_change)} against the chain`} (${against(r)})` : "too few answers"}, n = ${r.n}`));
  });
  const listed = (groups, direction) => (groups ?? []).map((g) => `${g ?? "(no branch)"} ${direction}`);
  // The API's lists: both significant and practical (significant alone without a minimum).
  const flagged = [
    ...listed(c.practical_below ?? c.below, "below"),
    ...listed(c.practical_above ?? c.above, "above"),
  ];
  const smallOnes = c.rows.filter(small).map((r) => `${name(r)} ${r.flag}`);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "consistency-title consistency-desc", class: "chart" },
    svg("title", { id: "consistency-title" }, `${label} by branch against the chain`),
    svg("desc", { id: "consistency-desc" }, `${c.rows.length} branches. Chain: ${c.pooled.value === null ? "no answers" : formatScore(metric, c.pooled.value)}. ${flagged.length ? `Flagged: ${flagged.join(", ")}.` : "No branch flagged."}${smallOnes.length ? ` Significant but by less than ${minChange}: ${smallOnes.join(", ")}.` : ""} The table below has every value.`),
    axis, pooled, rows);

  const s = c.spread;
  const facts = el("dl", { class: "facts" },
    el("div", {}, el("dt", {}, "Chain"), el("dd", { id: "chain-value" }, c.pooled.value === null ? "no answers" : `${formatScore(metric, c.pooled.value)} (${formatInterval(metric, c.pooled.ci_low, c.pooled.ci_high)}), n = ${c.pooled.n}`)),
    el("div", {}, el("dt", {}, `Branches with n ≥ ${c.min_n}`), el("dd", {}, String(s.groups_used))),
    el("div", {}, el("dt", {}, "Spread (SD)"), el("dd", {}, s.stdev === null ? "–" : s.stdev.toFixed(SCORE[metric].digits))),
    el("div", {}, el("dt", {}, "Range"), el("dd", {}, s.range === null ? "–" : `${formatScore(metric, s.min)} to ${formatScore(metric, s.max)}`)),
    el("div", {}, el("dt", {}, "Minimum change"), el("dd", { id: "min-change" }, minChange ?? "none")),
    el("div", {}, el("dt", {}, "Flagged"), el("dd", { id: "flagged" }, flagged.length ? flagged.join(", ") : "none")),
    smallOnes.length ? el("div", {}, el("dt", {}, "Significant, but small"), el("dd", { id: "small" }, smallOnes.join(", "))) : null);

  const table = el("table", {},
    el("caption", {}, `${label} by branch`),
    el("thead", {}, el("tr", {}, ["Branch", label, "95 % interval", "n", "Difference", "Against the chain"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, c.rows.map((r) => el("tr", { class: flagOf(r) ?? "" },
      el("th", { scope: "row" }, name(r)),
      el("td", { class: "num" }, readable(r) ? formatScore(metric, r.value) : "too few answers"),
      el("td", { class: "num" }, readable(r) ? formatInterval(metric, r.ci_low, r.ci_high) : ""),
      el("td", { class: "num" }, String(r.n)),
      el("td", { class: "num" }, readable(r) && r.difference !== null ? formatDifference(metric, r.difference, c.min_change) : ""),
      el("td", {}, against(r))))));

  box.replaceChildren(facts, el("figure", { class: "consistency" }, chart), el("details", {}, el("summary", {}, "Branches as a table"), table));
}

/**
 * The queue of cases not closed, with age and whether first contact is overdue.
 *
 * `items`: its oldest cases, as listed; `queue`: GET /v1/follow-ups/summary for the same
 * filters, which counts every case (`cases`) and the `overdue` ones (open, and the SLA of
 * `sla_hours` from the feedback's arrival has passed) however many pages the list has.
 */
function drawFollowUps({ items }, queue) {
  const box = document.getElementById("follow-ups");
  if (items.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, "No open follow-up cases. Every unhappy customer has been handled."));
    return;
  }
  const now = Date.now();
  const slaHours = queue.sla_hours;
  const slaMs = slaHours * 3600 * 1000;
  // The SLA runs from the feedback's arrival to the first time the customer is reached.
  const dueOf = (c) => new Date(c.received_at).getTime() + slaMs;
  const scores = (c) => [["NPS", c.nps], ["CSAT", c.csat], ["CES", c.ces]].filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(", ") || "–";

  const summary = el("p", { class: "queue-summary", id: "queue-summary" },
    `${queue.cases.toLocaleString()} cases waiting`,
    queue.overdue ? el("strong", { class: "overdue" }, ` · ${queue.overdue.toLocaleString()} overdue`) : null,
    ` · first contact due within ${slaHours} h of the feedback`);
  const table = el("table", { class: "queue" },
    el("caption", { class: "visually-hidden" }, "Open follow-up cases, oldest first"),
    el("thead", {}, el("tr", {}, ["Case", "Branch", "Where", "Scores", "Status", "Opened", "First contact"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, items.map((c) => {
      const due = dueOf(c);
      const contact = c.status === "contacted"
        ? el("span", { class: "done" }, `reached ${dateTimeFormat.format(new Date(c.first_contact_at))}`)
        : due < now
          ? el("span", { class: "overdue" }, `overdue by ${duration(now - due)}`)
          : el("span", {}, `due in ${duration(due - now)}`);
      return el("tr", { "data-case": c.id, class: c.status === "open" && due < now ? "is-overdue" : "" },
        el("th", { scope: "row" }, `#${c.id}`),
        el("td", {}, c.location_id ?? "–"),
        el("td", {}, [c.channel, c.touchpoint].filter(Boolean).join(" · ")),
        el("td", {}, scores(c)),
        el("td", {}, el("span", { class: `pill ${c.status}` }, c.status)),
        el("td", {}, el("time", { datetime: c.opened_at, title: dateTimeFormat.format(new Date(c.opened_at)) }, `${duration(now - new Date(c.opened_at).getTime())} ago`)),
        el("td", {}, contact));
    })));
  box.replaceChildren(summary, scrollBox("Open follow-up cases", table));
  if (items.length < queue.cases) {
    box.append(el("p", { class: "hint", id: "queue-more" }, `Showing the oldest ${items.length.toLocaleString()} of ${queue.cases.toLocaleString()}; the API pages on with next_cursor.`));
  }
}

// The metrics an alert may be about (docs/alerts.md, "What is watched"): their names
// and how their figures are written. The SERVQUAL ones are named from their metric.
const ALERT_METRICS = {
  nps: { label: "NPS", digits: 1, unit: "" },
  csat: { label: "CSAT", digits: 1, unit: " %" },
  ces: { label: "CES", digits: 2, unit: "" },
  follow_up_late: { label: "Late call-backs", digits: 1, unit: " %" },
};

function alertMetric(metric) {
  const servqual = /^servqual_([a-z]+)_perception$/.exec(metric);
  if (servqual) return { label: `SERVQUAL ${servqual[1]} (perception)`, digits: 2, unit: "", servqual: servqual[1] };
  return ALERT_METRICS[metric] ?? { label: metric, digits: 2, unit: "" };
}

/** A number as it is read: the minus sign (−), no "−0.0". */
function fixed(value, digits) {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? Math.abs(value).toFixed(digits) : text.replace("-", "−");
}

function alertFigure(metric, value) {
  if (value === null || value === undefined) return "no answers";
  const m = alertMetric(metric);
  return `${fixed(value, m.digits)}${m.unit}`;
}

function alertInterval(metric, p) {
  if (p.ci_low === null || p.ci_high === null) return "no interval";
  return `${alertFigure(metric, p.ci_low)} to ${alertFigure(metric, p.ci_high)}`;
}

/** "at branch lis-03", "on channel web at branch lis-03", "across the chain". */
function scopeText({ dimension, value, within }) {
  const { location_id: branch, ...other } = within ?? {};
  const where = [
    branch ? ` at branch ${branch}` : "",
    ...Object.entries(other).map(([d, v]) => ` with ${d} ${v}`),
  ].join("");
  switch (dimension) {
    case "chain": return "across the chain";
    case "region": return `in region ${value}`;
    case "location_id": return `at branch ${value}`;
    case "channel": return `on channel ${value}${where}`;
    case "touchpoint": return `at touchpoint ${value}${where}`;
    case "respondent_type": return `among respondents of type ${value}`;
    case "employee_id": return `for employee ${value}${where}`;
    default: return `for ${dimension} ${value}${where}`;
  }
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** A local date ("2026-10-12") as "12 Oct 2026": it is a day, not an instant. */
function localDay(isoDay) {
  const [y, m, d] = isoDay.split("-").map(Number);
  return el("time", { datetime: isoDay }, dayFormat.format(new Date(y, m - 1, d)));
}

/** An instant in the alert's zone (its days are that zone's): the date alone at midnight. */
function zonedInstant(instant, zone) {
  const at = new Date(instant);
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  } catch {
    zone = undefined; // a zone this browser does not know: the reader's own
    parts = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  }
  const format = parts === "00:00"
    ? { day: "numeric", month: "short", year: "numeric", timeZone: zone }
    : { dateStyle: "medium", timeStyle: "short", timeZone: zone };
  return el("time", { datetime: instant }, new Intl.DateTimeFormat(undefined, format).format(at));
}

/** The line that says what changed: "NPS down at branch lis-03 since 12 Oct 2026: ...". */
function alertHeadline(a) {
  const e = a.evidence;
  const m = alertMetric(a.metric);
  const figure = (p) => `${alertFigure(a.metric, p.value)} (n ${p.n.toLocaleString()})`;
  const change = e.change === null ? "" : `, change ${e.change > 0 ? "+" : ""}${fixed(e.change, m.digits)} ${e.unit}`;
  // Bad news in red: down, except for the late share, where up is worse.
  const worse = (a.direction === "up") === (a.metric === "follow_up_late");
  return el("p", { class: "alert-line" },
    el("strong", { class: `direction ${worse ? "worse" : "better"}` }, `${m.label} ${a.direction}`),
    ` ${scopeText(a.scope)} since `, localDay(a.since),
    `: ${figure(e.current)} against ${figure(e.baseline)}${change}`);
}

function alertBadges(a, now) {
  const badges = [];
  if (a.acknowledged_at) {
    const by = a.acknowledged_by ? ` by ${a.acknowledged_by}` : "";
    badges.push(el("span", { class: "pill acknowledged", title: `Acknowledged${by}, ${dateTimeFormat.format(new Date(a.acknowledged_at))}` }, "acknowledged"));
  }
  if (a.muted_until && new Date(a.muted_until).getTime() > now) {
    badges.push(el("span", { class: "pill muted" }, `muted until ${dateTimeFormat.format(new Date(a.muted_until))}`));
  }
  return badges;
}

const QUESTIONS = {
  own_past: "Against its own past (the baseline)",
  rest_of_chain: "Its gap to the rest of the chain, against the gap in the baseline",
};

/** A p-value as it is read: three decimals, or "1.4 × 10⁻⁵" when smaller. */
function pValue(p) {
  if (p === null || p === undefined) return "–";
  if (p >= 0.001) return p.toFixed(3);
  const [mantissa, exponent] = p.toExponential(1).split("e");
  const superscript = (c) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(c)] ?? (c === "-" ? "⁻" : "");
  return `${mantissa} × 10${[...exponent].map(superscript).join("")}`;
}

/** What the API answers to an evidence request, as one figure when it is one of ours. */
function answerFigure(metric, answer) {
  const m = alertMetric(metric);
  const figure = answer?.metrics?.[metric];
  if (figure && "value" in figure) {
    return `${alertFigure(metric, figure.value)}, 95 % interval ${alertInterval(metric, figure)}, n = ${figure.n.toLocaleString()}`;
  }
  const dimension = m.servqual && answer?.metrics?.servqual?.dimensions?.find((d) => d.dimension === m.servqual);
  if (dimension) return `perception ${alertFigure(metric, dimension.perception)}, n = ${dimension.n_perception.toLocaleString()}`;
  return null;
}

/** The evidence of one alert: the periods with n and intervals, the tests, the requests. */
function alertEvidence(a) {
  const e = a.evidence;
  const m = alertMetric(a.metric);
  const periods = [["current", "Since the change"], ["baseline", "Baseline"], ["rest_of_chain", "Rest of the chain"]]
    .filter(([name]) => e[name]);
  const table = el("table", { class: "periods" },
    el("caption", {}, `${m.label} ${scopeText(a.scope)}; days in ${e.zone}`),
    el("thead", {}, el("tr", {}, ["Period", "From", "To (exclusive)", m.label, "95 % interval", "n"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, periods.map(([name, label]) => {
      const p = e[name];
      return el("tr", { "data-period": name },
        el("th", { scope: "row" }, label),
        el("td", {}, zonedInstant(p.from, e.zone)),
        el("td", {}, zonedInstant(p.to, e.zone)),
        el("td", { class: "num" }, alertFigure(a.metric, p.value)),
        el("td", { class: "num" }, p.value === null ? "" : alertInterval(a.metric, p)),
        el("td", { class: "num" }, p.n.toLocaleString()));
    })));
  const change = el("p", { class: "change" },
    e.change === null
      ? "No change can be measured: one of the periods has no answers."
      : `Change ${e.change > 0 ? "+" : ""}${fixed(e.change, m.digits)} ${e.unit}; an alert needs at least ${fixed(e.min_change, m.digits)}.`);
  const tests = el("table", { class: "tests" },
    el("caption", {}, "Tests"),
    el("thead", {}, el("tr", {}, ["Question", "Statistic", "Threshold", "p-value", "Adjusted p-value", "Change", "Fired"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, e.tests.map((t) => el("tr", { "data-question": t.question },
      el("th", { scope: "row" }, QUESTIONS[t.question] ?? t.question, el("span", { class: "method" }, t.method)),
      el("td", { class: "num" }, t.statistic.toFixed(1)),
      el("td", { class: "num" }, t.threshold.toFixed(1)),
      el("td", { class: "num" }, pValue(t.p_value)),
      el("td", { class: "num" }, pValue(t.adjusted_p_value)),
      el("td", { class: "num" }, t.change === null ? "–" : `${t.change > 0 ? "+" : ""}${fixed(t.change, m.digits)}`),
      el("td", {}, t.fired ? el("strong", {}, "yes") : "no")))));
  // The requests need the key: shown as text to copy, and asked here on demand with the
  // key in the header, like every other call of this page.
  const requests = el("ul", { class: "requests" }, periods.map(([name, label]) => {
    const p = e[name];
    const answer = el("output", { class: "answer" });
    const ask = el("button", { type: "button", class: "ask" }, "Ask the API",
      el("span", { class: "visually-hidden" }, ` for the figure ${label.toLowerCase()}`));
    ask.addEventListener("click", async () => {
      const stored = storedKey();
      if (!stored) return;
      ask.disabled = true;
      answer.textContent = "Asking…";
      try {
        const body = await apiRequest(stored.key, p.request);
        const figure = answerFigure(a.metric, body);
        if (figure) answer.replaceChildren(`The API answers ${figure}.`);
        else answer.replaceChildren("The API answers:", el("pre", { tabindex: "0" }, JSON.stringify(body, null, 2)));
      } catch (error) {
        const problem = error.problem ?? { title: String(error) };
        answer.replaceChildren(el("span", { class: "overdue" }, problem.title), problem.detail ? ` ${problem.detail}` : "");
      } finally {
        ask.disabled = false;
      }
    });
    return el("li", { "data-period": name },
      el("span", { class: "request-label" }, `${label}: `),
      el("code", { class: "request" }, `GET ${p.request}`), " ", ask,
      p.note ? el("span", { class: "hint" }, ` (${p.note})`) : null,
      answer);
  }));
  return el("details", { class: "evidence" },
    el("summary", {}, "Evidence", el("span", { class: "visually-hidden" }, ` for ${m.label} ${a.direction} ${scopeText(a.scope)}`)),
    scrollBox("Periods", table), change,
    el("p", { class: "hint" }, "Each test's statistic is its evidence in nats; its p-value is adjusted "
      + "(Benjamini–Hochberg) across the round that opened the alert, – in later rounds."),
    scrollBox("Tests", tests),
    el("p", { class: "hint" }, "Each figure comes from the metrics API; with your key, these requests give it again:"),
    requests);
}

/** The open alerts, newest first, each with its evidence behind a disclosure. */
function drawAlerts(alerts, location) {
  const box = document.getElementById("alerts");
  if (alerts.error) {
    const p = alerts.error.problem ?? { title: String(alerts.error) };
    const why = p.status === 403 ? "This key may not read alerts." : "The alerts could not be loaded.";
    box.replaceChildren(el("p", { class: "problem" }, el("strong", {}, why), ` ${p.title}${p.detail ? ` ${p.detail}` : ""}`));
    return;
  }
  const { items, complete } = alerts;
  if (items.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, location ? `No open alerts for ${location}.` : "No open alerts."));
    return;
  }
  const now = Date.now();
  const list = el("ol", { class: "alerts" }, items.map((a) => el("li", { class: "alert", "data-alert": a.id },
    alertHeadline(a),
    el("p", { class: "alert-meta" },
      ...alertBadges(a, now), " ",
      el("time", { datetime: a.opened_at, title: dateTimeFormat.format(new Date(a.opened_at)) }, `opened ${duration(now - new Date(a.opened_at).getTime())} ago`)),
    a.note ? el("p", { class: "alert-note" }, `Note: ${a.note}`) : null,
    alertEvidence(a))));
  const count = `${items.length}${complete ? "" : "+"} open alert${items.length === 1 ? "" : "s"}, newest first`;
  box.replaceChildren(el("p", { class: "queue-summary", id: "alerts-summary" }, count), list);
  if (!complete) box.append(el("p", { class: "hint" }, `Showing the newest ${items.length}; the API pages on with next_cursor.`));
}

/** A share in percent with as many decimals as it needs to be read: "18", "4.5". */
function percent(value, digits) {
  return fixed(value, digits ?? (value < 9.95 ? 1 : 0));
}

/** "18 % (15–21 %)": a share with its 95 % interval, the bounds written like the share. */
function shareText(row) {
  const digits = row.share < 9.95 ? 1 : 0;
  const interval = row.ci_low === null ? "" : ` (${percent(row.ci_low, digits)}–${percent(row.ci_high, digits)} %)`;
  return `${percent(row.share, digits)} %${interval}`;
}

/** A comment as a quote: white space made single, at most EXAMPLE_CHARS characters
 * (whole characters, cut at a word where one is near), "…" when cut. Text, never markup. */
function shortComment(text) {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  if (chars.length <= EXAMPLE_CHARS) return chars.join("");
  let cut = chars.slice(0, EXAMPLE_CHARS).join("");
  const space = cut.lastIndexOf(" ");
  if (space > EXAMPLE_CHARS * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s.,;:!?\-–—]+$/u, "")}…`;
}

const SENTIMENTS = [["negative", "neg"], ["neutral", "neu"], ["positive", "pos"]];

/** The sentiment of a theme's mentions as a small bar; its text alternative says the counts. */
function sentimentBar(mix) {
  const parts = SENTIMENTS.filter(([name]) => mix[name] > 0)
    .map(([name]) => `${mix[name].toLocaleString()} ${name} (${percent(mix[`${name}_share`], 0)} %)`);
  const none = mix.none ? `; ${mix.none.toLocaleString()} without a sentiment` : "";
  const text = mix.n > 0 ? `Sentiment of ${mix.n.toLocaleString()} comments: ${parts.join(", ")}${none}` : `No sentiment${none}`;
  let x = 0;
  const bars = mix.n > 0 ? SENTIMENTS.map(([name, cls]) => {
    const width = mix[`${name}_share`] ?? 0;
    const bar = width > 0 ? svg("rect", { class: cls, x, y: 0, width, height: 10 }) : null;
    x += width;
    return bar;
  }) : [svg("rect", { class: "empty-mix", x: 0, y: 0, width: 100, height: 10 })];
  return svg("svg", { class: "mix", viewBox: "0 0 100 10", preserveAspectRatio: "none", role: "img", "aria-label": text },
    svg("title", {}, text), bars);
}

/** "NPS: among those who mention it −20.5 (n 50), among the other commenters 35.1 (n 150)",
 * and their difference when both are read and its interval excludes 0. */
function themeScores(row, minN) {
  const { mentioning: yes, not_mentioning: no, difference: gap } = row;
  if (yes.n === 0 && no.n === 0) return null;
  const figure = (s) => (s.value === null ? "no answers" : s.low_sample ? `too few answers (n ${s.n.toLocaleString()}, needs ${minN})` : `${fixed(s.value, 1)} (n ${s.n.toLocaleString()})`);
  const readable = !yes.low_sample && !no.low_sample && gap.significant;
  return el("p", { class: "theme-nps" },
    `NPS: among those who mention it ${figure(yes)}, among the other commenters ${figure(no)}`,
    readable ? el("strong", { class: gap.value < 0 ? "worse" : "better" },
      `; difference ${gap.value > 0 ? "+" : ""}${fixed(gap.value, 1)} (95 % interval ${fixed(gap.ci_low, 1)} to ${fixed(gap.ci_high, 1)})`) : null);
}

/** The change of the share against the previous period, when its interval excludes 0. */
function themeChange(change, days) {
  if (!change.significant || change.low_sample) return null;
  const up = change.delta > 0;
  return el("p", { class: `theme-change ${up ? "up" : "down"}` },
    el("span", { class: "arrow", "aria-hidden": "true" }, up ? "↑ " : "↓ "),
    el("strong", {}, `${up ? "+" : ""}${fixed(change.delta, 1)} points`),
    ` on the previous ${days} days (from ${percent(change.previous_share)} %; 95 % interval ${fixed(change.ci_low, 1)} to ${fixed(change.ci_high, 1)})`);
}

/** A theme's example comments: quoted in their own language, with when and where. */
function themeExamples(found, label) {
  if (found.error) {
    const p = found.error.problem ?? { title: String(found.error) };
    return el("p", { class: "examples-problem" }, `Its comments could not be loaded. ${p.title}${p.detail ? ` ${p.detail}` : ""}`);
  }
  if (found.length === 0) return null;
  return el("ul", { class: "examples", "aria-label": `Comments about ${label}` }, found.map((item) => {
    const language = item.text && item.text.language !== "unknown" ? item.text.language : null;
    const day = dateFormat.format(new Date(item.occurred_at));
    return el("li", { "data-event": item.event_id },
      el("q", { lang: language }, shortComment(item.comment ?? "")),
      el("span", { class: "example-meta" }, ` ${[day, item.location_id, item.channel].filter(Boolean).join(" · ")}`));
  }));
}

/** The themes the selection's comments mention most, with shares, sentiment, NPS and examples. */
function drawThemes(themes, days) {
  const box = document.getElementById("themes");
  if (themes.error) {
    const p = themes.error.problem ?? { title: String(themes.error) };
    const why = p.status === 403 ? "This key may not read the themes." : "The themes could not be loaded.";
    box.replaceChildren(el("p", { class: "problem" }, el("strong", {}, why), ` ${p.title}${p.detail ? ` ${p.detail}` : ""}`));
    return;
  }
  const { report, top, examples } = themes;
  const comments = report.rows.length ? report.rows[0].comments : 0;
  if (comments === 0) {
    box.replaceChildren(el("p", { class: "empty" }, "No enriched comments in this selection yet."));
    return;
  }
  const n = comments.toLocaleString();
  if (top.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, `None of the ${n} enriched comments in this selection mentions a theme.`));
    return;
  }
  // Below min_n comments a share is not read as a number: the counts are said instead.
  const few = report.rows[0].low_sample;
  const summary = el("p", { class: "queue-summary", id: "themes-summary" }, few
    ? `Too few comments to read shares (n = ${n}, needs ${report.min_n}). The themes they mention most:`
    : `The ${top.length} theme${top.length === 1 ? "" : "s"} mentioned most in ${n} enriched comments`);
  const legend = el("p", { class: "mix-legend", "aria-hidden": "true" }, "Sentiment: ",
    SENTIMENTS.map(([name, cls]) => el("span", { class: `swatch ${cls}` }, name)));
  const list = el("ol", { class: "themes" }, top.map((row, i) => el("li", { class: "theme", "data-theme": row.theme },
    el("div", { class: "theme-figures" },
      el("h3", { class: "theme-label" }, row.label),
      el("p", { class: "theme-share" }, few
        ? `${row.mentions.toLocaleString()} of ${n} comments`
        : [el("strong", {}, shareText(row)), ` of comments · ${row.mentions.toLocaleString()} of ${n}`]),
      few ? null : themeChange(row.change, days),
      sentimentBar(row.sentiment),
      few ? null : themeScores(row, report.min_n)),
    themeExamples(examples[i], row.label))));
  box.replaceChildren(summary, legend, list);
}

// The "what to fix first" card: the quadrants' names, in the answer's `quadrant` terms.
const QUADRANTS = { fix_first: "Fix first", keep_up: "Keep up", watch: "Watch", less_urgent: "Less urgent" };
// The outcome's points, the unit of an opportunity.
const OUTCOME_POINTS = { nps: "NPS points", csat: "CSAT points", ces: "CES points" };
const DRIVER_NAMES = {
  channel: "Channel", touchpoint: "Touchpoint", segment: "Segment",
  acquisition_source: "Acquisition source", location_id: "Branch",
};

/** A driver's name for people: "servqual:responsiveness" is "Responsiveness",
 * "attribute:wait_minutes" is "wait_minutes (attribute)". */
function driverName(driver) {
  if (DRIVER_NAMES[driver]) return DRIVER_NAMES[driver];
  const at = driver.indexOf(":");
  const [family, key] = at < 0 ? [driver, ""] : [driver.slice(0, at), driver.slice(at + 1)];
  const capital = key.charAt(0).toUpperCase() + key.slice(1);
  switch (family) {
    case "servqual": return capital;
    case "servqual_gap": return `${capital} gap`;
    case "tag": return `${key} (tag)`;
    case "theme": return `${key} (theme)`;
    case "attribute": return `${key} (attribute)`;
    default: return driver;
  }
}

/** "+3.2", "−1.0", "0.0": a change, its sign always shown. */
function signed(value, digits) {
  const text = fixed(value, digits);
  return Number(value.toFixed(digits)) > 0 ? `+${text}` : text;
}

/** "33.7 % (29.1–37.4)": a driver's importance with its 95 % interval. */
function importanceText(r) {
  if (r.importance === null) return "none";
  return `${fixed(r.importance, 1)} %${r.importance_ci_low === null ? "" : ` (${importanceInterval(r)})`}`;
}

function importanceInterval(r) {
  return `${fixed(r.importance_ci_low, 1)}–${fixed(r.importance_ci_high, 1)}`;
}

/** "+18.2 (12.1 to 26.1)": the opportunity in the outcome's points, with its interval. */
function opportunityText(r, outcome) {
  return `${signed(r.opportunity, SCORE[outcome].digits)} (${opportunityInterval(r, outcome)})`;
}

function opportunityInterval(r, outcome) {
  const digits = SCORE[outcome].digits;
  return `${fixed(r.opportunity_ci_low, digits)} to ${fixed(r.opportunity_ci_high, digits)}`;
}

/** Whose answers the opportunity comes from: the weak side of a numeric driver's
 * median, the weak levels of a categorical one. */
function weakText(r) {
  if (r.kind === "numeric") {
    if (r.median === null || r.weak_side === null) return null;
    return `from answers ${r.weak_side} ${fixed(r.median, 1).replace(/\.0$/, "")} (median)`;
  }
  const weak = r.weak_levels ?? [];
  if (weak.length === 0) return null;
  if (r.kind === "binary") return `from those ${weak.includes("with") ? "with" : "without"} it`;
  return `from ${weak.map((l) => (l === null ? "(no value)" : l)).join(", ")}`;
}

/** The median, as numpy computes it (the middle two averaged). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let measure = null; // a canvas context, to measure labels before drawing them

/** The width in CSS pixels of `text` at the chart's label size. */
function textWidth(text, px) {
  measure ??= document.createElement("canvas").getContext("2d");
  measure.font = `${px}px ${getComputedStyle(document.documentElement).fontFamily}`;
  return measure.measureText(text).width;
}

/**
 * Importance (y, percent of R²) against performance (x, score 0-100): one point per
 * driver with its importance interval as a whisker, the split lines where the service
 * splits (the median score of the drivers, the mean importance 100 / drivers) and the
 * four areas named. Each point's colour is the answer's own quadrant, never recomputed
 * here. Drawn at the width it is shown at.
 */
function driversChart(report, width) {
  const rows = report.drivers;
  const label = SCORE[report.outcome].label;
  const placed = rows.filter((r) => r.importance !== null && r.score !== null);
  const height = width < 480 ? 300 : 340, left = 40, right = 14, top = 30, bottom = 46;
  const splitScore = median(rows.filter((r) => r.score !== null).map((r) => r.score));
  const splitImportance = 100 / rows.length;
  const highest = Math.max(splitImportance, ...placed.map((r) => r.importance_ci_high ?? r.importance)) * 1.05;
  const grid = ticks(0, highest, 5);
  const step = grid.length > 1 ? grid[1] - grid[0] : highest;
  const hi = Math.ceil(highest / step - 1e-9) * step;
  const x = (v) => left + (v * (width - left - right)) / 100;
  // A margin under 0, so that a name fits beside a point of little importance.
  const y = (v) => top + ((hi - v) * (height - top - bottom - 10)) / hi;
  const [x0, x1, y0, y1] = [x(0), x(100), y(hi), height - bottom];
  const sx = x(splitScore), sy = y(splitImportance);

  // The four areas, and their names where no point is likely: the top corners and
  // just under the line of mean importance.
  const areas = [
    ["fix_first", x0, y0, sx, sy], ["keep_up", sx, y0, x1, sy],
    ["watch", x0, sy, sx, y1], ["less_urgent", sx, sy, x1, y1],
  ].map(([q, ax, ay, bx, by]) => svg("rect", { class: `area ${q}`, x: ax, y: ay, width: Math.max(0, bx - ax), height: Math.max(0, by - ay) }));
  const boxes = []; // what a label must not cover: {x1, y1, x2, y2}
  const areaLabel = (q, tx, ty, anchor) => {
    const w = textWidth(QUADRANTS[q], 12) + 2;
    const bx = anchor === "end" ? tx - w : tx;
    boxes.push({ x1: bx, y1: ty - 12, x2: bx + w, y2: ty + 3 });
    return svg("text", { class: `quadrant-label ${q}`, x: tx, y: ty, "text-anchor": anchor }, QUADRANTS[q]);
  };
  const names = [
    areaLabel("fix_first", x0 + 6, y0 + 15, "start"),
    areaLabel("keep_up", x1 - 6, y0 + 15, "end"),
    areaLabel("watch", x0 + 6, Math.min(sy + 15, y1 - 4), "start"),
    areaLabel("less_urgent", x1 - 6, Math.min(sy + 15, y1 - 4), "end"),
  ];

  const yAxis = grid.concat(hi > grid[grid.length - 1] + 1e-9 ? [hi] : []).map((t) =>
    svg("g", { class: "tick" },
      t > 0 ? svg("line", { x1: x0, x2: x1, y1: y(t), y2: y(t) }) : null,
      svg("text", { x: left - 6, y: y(t) + 4, "text-anchor": "end" }, String(t))));
  const xAxis = [0, 25, 50, 75, 100].map((t) =>
    svg("g", { class: "tick" },
      svg("text", { x: x(t), y: y1 + 16, "text-anchor": "middle" }, String(t))));
  const titles = [
    svg("text", { class: "axis-title", x: 4, y: 14 }, "Importance, % of R²"),
    svg("text", { class: "axis-title", x: (x0 + x1) / 2, y: height - 8, "text-anchor": "middle" }, "Performance score (0 worst, 100 best)"),
  ];
  const splits = [
    svg("line", { class: "split", x1: sx, x2: sx, y1: y0, y2: y1 }),
    svg("line", { class: "split", x1: x0, x2: x1, y1: sy, y2: sy }),
    svg("text", { class: "split-label", x: sx, y: top - 4, "text-anchor": "middle" }, `median ${fixed(splitScore, 0)}`),
  ];
  const meanLabel = `mean ${fixed(splitImportance, 1)} %`;
  const mw = textWidth(meanLabel, 11);
  boxes.push({ x1: x1 - 4 - mw, y1: sy - 15, x2: x1 - 4, y2: sy - 2 });
  splits.push(svg("text", { class: "split-label", x: x1 - 4, y: sy - 4, "text-anchor": "end" }, meanLabel));

  // Points and whiskers first, so that no name is put over one.
  const at = placed.map((r) => ({ r, px: x(r.score), py: y(r.importance) }));
  for (const { r, px, py } of at) {
    boxes.push({ x1: px - 6, y1: py - 6, x2: px + 6, y2: py + 6 });
    if (r.importance_ci_low !== null) boxes.push({ x1: px - 1.5, y1: y(r.importance_ci_high), x2: px + 1.5, y2: y(r.importance_ci_low) });
  }
  const overlaps = (b) => boxes.some((o) => b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2);
  const inside = (b) => b.x1 >= 2 && b.x2 <= width - 2 && b.y1 >= top && b.y2 <= y1;
  // Where a name may go, in order of preference: right, left, above, below, the corners.
  const spots = [[9, 4, "start"], [-9, 4, "end"], [0, -10, "middle"], [0, 18, "middle"],
    [7, -9, "start"], [-7, -9, "end"], [7, 17, "start"], [-7, 17, "end"],
    [0, -22, "middle"], [0, 30, "middle"], [9, -20, "start"], [-9, -20, "end"]];
  const points = at.map(({ r, px, py }) => {
    const name = driverName(r.driver);
    const w = textWidth(name, 12) + 2;
    const box = ([dx, dy, anchor]) => {
      const tx = px + dx, ty = py + dy;
      const bx = anchor === "start" ? tx : anchor === "end" ? tx - w : tx - w / 2;
      return { x1: bx, y1: ty - 11, x2: bx + w, y2: ty + 3, tx, ty, anchor };
    };
    const spot = spots.map(box).find((b) => inside(b) && !overlaps(b)) ?? spots.map(box).find(inside) ?? box(spots[0]);
    boxes.push(spot);
    const cls = `driver-point ${r.quadrant ?? "unplaced"}${r.collinear ? " collinear" : ""}`;
    const about = `${name}: importance ${importanceText(r)}, performance ${fixed(r.score, 0)}, `
      + `opportunity ${opportunityText(r, report.outcome)} ${OUTCOME_POINTS[report.outcome]}`
      + `${r.quadrant ? `; ${QUADRANTS[r.quadrant].toLowerCase()}` : ""}${r.collinear ? "; collinear" : ""}`;
    return svg("g", { class: cls, "data-driver": r.driver },
      r.importance_ci_low !== null ? svg("line", { class: "whisker", x1: px, x2: px, y1: y(r.importance_ci_low), y2: y(r.importance_ci_high) }) : null,
      svg("circle", { cx: px, cy: py, r: 5 }),
      svg("text", { class: "driver-name", x: spot.tx, y: spot.ty, "text-anchor": spot.anchor }, name),
      svg("title", {}, about));
  });

  const inArea = (q) => placed.filter((r) => r.quadrant === q).map((r) => driverName(r.driver));
  const said = Object.keys(QUADRANTS).map((q) => `${QUADRANTS[q]}: ${inArea(q).join(", ") || "none"}.`).join(" ");
  return svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "drivers-chart-title drivers-chart-desc", class: "chart drivers-chart" },
    svg("title", { id: "drivers-chart-title" }, `Drivers of ${label}: importance against performance`),
    svg("desc", { id: "drivers-chart-desc" }, `${placed.length} drivers. ${said} The table has every value.`),
    areas, yAxis, xAxis, titles, splits, names, points);
}

/** The drivers' table: what the chart shows, and the opportunity. Each interval on a
 * line of its own under its figure, so the table fits beside the chart. */
function driversTable(report) {
  const { outcome } = report;
  const label = SCORE[outcome].label;
  const interval = (text) => el("span", { class: "interval" }, text);
  return el("table", { class: "drivers-table" },
    el("caption", {}, `Drivers of ${label}, most important first. Importance: percent of R²; `
      + `score: performance, 0–100; opportunity: ${OUTCOME_POINTS[outcome]}; each with its 95 % interval.`),
    el("thead", {}, el("tr", {}, ["Driver", "Importance", "Score", "Opportunity", "Quadrant"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, report.drivers.map((r) => {
      const weak = weakText(r);
      return el("tr", { "data-driver": r.driver },
        el("th", { scope: "row" }, el("span", { class: "driver-label" }, driverName(r.driver)),
          r.collinear ? [" ", el("span", { class: "pill collinear", title: COLLINEAR }, "collinear")] : null),
        el("td", { class: "num importance" }, r.importance === null ? "none" : [
          `${fixed(r.importance, 1)} %`, r.importance_ci_low === null ? null : interval(importanceInterval(r))]),
        el("td", { class: "num score" }, r.score === null ? "–" : fixed(r.score, 0)),
        el("td", { class: "num opportunity" }, signed(r.opportunity, SCORE[outcome].digits),
          interval(opportunityInterval(r, outcome)), weak ? el("span", { class: "weak" }, weak) : null),
        el("td", { class: "quadrant" }, r.quadrant ? el("span", { class: `quadrant-name ${r.quadrant}` }, QUADRANTS[r.quadrant]) : "not placed"));
    })));
}

const COLLINEAR = "Other drivers carry most of what this one does: its importance is shared with them and uncertain.";

/** The drivers card: the model's figures, the chart beside its table, the drivers left
 * out, and what it is not. `drivers` is undefined while the call is on its way. */
function drawDrivers(drivers) {
  const box = document.getElementById("drivers");
  if (drivers === undefined) {
    box.setAttribute("aria-busy", "true");
    box.replaceChildren(el("p", { class: "empty" }, "Asking the service which drivers matter…"));
    return;
  }
  box.removeAttribute("aria-busy");
  if (drivers.error) {
    const p = drivers.error.problem ?? { title: String(drivers.error) };
    // Too few answers to fit a model is an answer, not a failure: said as the API says it.
    const tooFew = (p.errors ?? []).find((e) => e.type === "insufficient_data");
    if (tooFew) {
      box.replaceChildren(el("p", { class: "too-few-drivers", id: "drivers-too-few" }, el("strong", {}, p.detail ?? p.title), ` ${tooFew.message}`));
      return;
    }
    const why = p.status === 403 ? "This key may not read the drivers." : "The drivers could not be loaded.";
    box.replaceChildren(el("p", { class: "problem" }, el("strong", {}, why), ` ${p.title}${p.detail ? ` ${p.detail}` : ""}`));
    return;
  }
  const report = drivers;
  const { label } = SCORE[report.outcome];
  const facts = el("dl", { class: "facts" },
    el("div", {}, el("dt", {}, "The drivers explain (R²)"),
      el("dd", { id: "drivers-r2" }, `${fixed(report.r2, 2)} (95 % interval ${fixed(report.r2_ci_low, 2)} to ${fixed(report.r2_ci_high, 2)})`)),
    el("div", {}, el("dt", {}, "Respondents in the model"),
      el("dd", { id: "drivers-n" }, `n = ${report.n.toLocaleString()} of ${report.n_outcome.toLocaleString()} with ${label}`)),
    el("div", {}, el("dt", {}, `Their ${label}`), el("dd", {}, formatScore(report.outcome, report.outcome_value))),
    el("div", {}, el("dt", {}, "Bootstrap"), el("dd", {}, `${report.bootstrap.replicates} replicates`)));
  const place = el("figure", { class: "drivers-figure" });
  const dropped = report.dropped.length === 0 ? null : el("div", { class: "dropped" },
    el("p", { class: "queue-summary" }, `Left out of the model (${report.dropped.length}):`),
    el("ul", { id: "drivers-dropped" }, report.dropped.map((d) => el("li", { "data-driver": d.driver },
      el("strong", {}, driverName(d.driver)),
      `: ${d.reason.replaceAll("min_n", String(report.min_n))} (${d.n.toLocaleString()} answers)`))));
  // Wide: the chart with the drivers left out under it, beside the table; narrow: the
  // chart, the table, then the rest.
  box.replaceChildren(facts, el("div", { class: "drivers-body" },
    place,
    scrollBox(`Drivers of ${label}`, driversTable(report)),
    el("div", { class: "drivers-more" }, dropped,
      el("p", { class: "drivers-note", id: "drivers-note" }, report.note))));
  if (!report.drivers.some((r) => r.importance !== null && r.score !== null)) {
    place.append(el("p", { class: "empty" }, "No driver can be placed on the chart: the model explains none of the score."));
    return;
  }
  // Drawn at the width the layout gives it (beside the table, or above it when narrow).
  place.append(
    el("figcaption", {}, el("strong", {}, "Importance against performance"),
      el("span", { class: "min-n" }, " · bars: 95 % interval · hollow: collinear")),
    driversChart(report, Math.max(260, place.clientWidth)));
}

/** Keep the filter choices in step with the data (branches and channels with events). */
function fillSelect(id, label, values, chosen) {
  const select = document.getElementById(id);
  const options = values.filter((v) => v !== null).sort();
  if (chosen && !options.includes(chosen)) options.unshift(chosen);
  select.replaceChildren(el("option", { value: "" }, label), ...options.map((v) => el("option", { value: v, selected: v === chosen }, v)));
}

let drawn = null; // the last answers drawn, to draw again at a new width

function draw(data, f) {
  drawn = { data, f };
  drawOverview(data.summary);
  drawTrends(data.series, f.interval, data.summary.min_n);
  drawConsistency(data.consistency, f.location);
  drawFollowUps(data.cases, data.queue);
  drawThemes(data.themes, f.days);
  drawDrivers(data.drivers instanceof Promise ? undefined : data.drivers);
  fillSelect("location", "All branches", data.consistency.rows.map((r) => r.group), f.location);
  fillSelect("channel", "All channels", data.channels.rows.map((r) => r.group), f.channel);
  const w = data.window;
  document.getElementById("status").textContent = `${w.from} to ${w.to} (exclusive), ${w.tz}`;
}

// ------------------------------------------------------------------ 6. the page's wiring

function showProblem(box, error) {
  const p = error.problem ?? { title: "Something went wrong", detail: String(error) };
  box.replaceChildren(el("strong", {}, p.title), p.detail ? el("span", {}, ` ${p.detail}`) : null);
  box.hidden = false;
}

function showKeyForm(problem) {
  document.getElementById("board").hidden = true;
  document.getElementById("key-status").hidden = true;
  document.getElementById("key-panel").hidden = false;
  const box = document.getElementById("key-problem");
  if (problem) showProblem(box, problem);
  else box.hidden = true;
  document.getElementById("key").focus();
}

function showBoard(remembered) {
  document.getElementById("key-panel").hidden = true;
  document.getElementById("board").hidden = false;
  document.getElementById("key-status").hidden = false;
  document.getElementById("key-kept").textContent = remembered ? "Key remembered on this device" : "Key kept for this tab";
}

let loading = 0; // answers of an older load are dropped when filters change quickly

async function refresh() {
  const stored = storedKey();
  if (!stored) return showKeyForm(null);
  showBoard(stored.remembered);
  const f = chosenFilters();
  const ticket = (loading += 1);
  const status = document.getElementById("status");
  const problemBox = document.getElementById("problem");
  status.textContent = "Loading…";
  document.getElementById("board").setAttribute("aria-busy", "true");
  document.body.dataset.state = "loading"; // "ready" or "failed" when done (tests wait on it)
  try {
    const data = await fetchAll(stored.key, f);
    if (ticket !== loading) return;
    problemBox.hidden = true;
    draw(data, f);
    drawAlerts(data.alerts, f.location); // not drawn again on resize: keeps what is open
    document.getElementById("board").removeAttribute("aria-busy");
    // The drivers last, when they come: the other cards do not wait for them.
    data.drivers = await data.drivers; // never fails: a failure is the card's to show
    if (ticket !== loading) return;
    drawDrivers(data.drivers);
    document.body.dataset.state = "ready";
  } catch (error) {
    if (ticket !== loading) return;
    const p = error.problem ?? {};
    if (p.status === 401 || p.status === 403) {
      // Unknown, revoked or not a read key: forget it and ask again, saying why.
      forgetKey();
      document.body.dataset.state = "failed";
      return showKeyForm(error);
    }
    if (p.status === 422 && zone !== "UTC" && (p.errors ?? []).some((e) => e.loc?.[1] === "tz")) {
      zone = "UTC"; // the service does not know this browser's zone
      return refresh();
    }
    status.textContent = "";
    showProblem(problemBox, error);
    document.body.dataset.state = "failed";
  } finally {
    if (ticket === loading) document.getElementById("board").removeAttribute("aria-busy");
  }
}

document.getElementById("key-form").addEventListener("submit", (event) => {
  event.preventDefault(); // never submitted: the key goes nowhere but storage
  const input = document.getElementById("key");
  const key = input.value.trim();
  if (!key) return;
  keepKey(key, document.getElementById("remember").checked);
  input.value = "";
  refresh();
});

document.getElementById("forget").addEventListener("click", () => {
  forgetKey();
  showKeyForm(null);
});

// Charts are drawn at the width they are shown at: draw them again (without asking
// the API again) when the window's width settles on a new value.
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    if (drawn && !document.getElementById("board").hidden) draw(drawn.data, drawn.f);
  }, 150);
});

for (const id of ["period", "location", "channel", "consistency-metric", "drivers-outcome"]) {
  document.getElementById(id).addEventListener("change", refresh);
}

refresh();
