"""What `feedback demo` prints when it is done: what was made, the dip, and requests to try."""

from datetime import timedelta

from app.demo import chain
from app.demo.generate import Spec
from app.demo.service import Filled

CASE_ORDER = ("open", "contacted", "resolved", "unreachable")


def guide(filled: Filled, spec: Spec, base_url: str) -> str:
    dip = filled.dip
    assert dip is not None
    assert filled.read_key is not None
    b = dip.branch
    events = sum(filled.events.values())
    by_type = filled.events
    cases = sum(filled.cases.values())
    case_line = ", ".join(f"{filled.cases[s]:,} {s}" for s in CASE_ORDER)
    before = dip.start - timedelta(weeks=6)
    last = spec.end.date() + timedelta(days=1)
    auth = '-H "Authorization: Bearer $KEY"'
    zones = ", ".join(f"{x.id} {x.timezone}" for x in chain.BRANCHES)
    replay_from, replay_to = dip.start - timedelta(days=7), dip.start + timedelta(days=14)
    return f"""
  Demo data: the Meridian chain, {spec.days} days up to {spec.end:%Y-%m-%d %H:%M} UTC \
(seed {spec.seed})

  branches    {filled.branches}: {zones}
  employees   {filled.employees}
  events      {events:,}: {by_type["customer"]:,} from customers, {by_type["internal"]:,} from \
internal customers, {by_type["employee"]:,} eNPS answers from staff
              (event ids start with "demo-")
  follow-ups  {cases:,} cases: {case_line};
              {filled.comebacks:,} customers came back after a call (recovery)
  rollups     up to date: metrics are fast at once

  The service dip: {b.name} ({b.id}, {b.timezone}) for {chain.DIP_WEEKS} weeks, local
  {dip.start:%a %Y-%m-%d} to {dip.end:%a %Y-%m-%d}: too few staff and a failing card terminal.
  Its NPS, CSAT, CES, SERVQUAL responsiveness and staff eNPS fall, and call-backs are slow.

  A read key for the requests below. It is shown only this once:

      {filled.read_key}

  With the service running (./scripts/run, or feedback serve), try:

  KEY={filled.read_key}

  # 1. {b.name}'s NPS week by week: the dip weeks stand out
  curl -s "{base_url}/v1/metrics/timeseries?interval=week&metrics=nps&location_id={b.id}\
&tz={b.timezone}&from={before}&to={last}&format=csv" {auth}

  # 2. Branch consistency during the dip: {b.id} is flagged below the chain
  curl -s "{base_url}/v1/metrics/consistency?group_by=location_id&metric=nps\
&from={dip.start}&to={dip.end}&format=csv" {auth}

  # 3. The dip against the {chain.DIP_WEEKS} weeks before it: significant drops
  curl -s "{base_url}/v1/metrics/compare?location_id={b.id}&metrics=nps,csat,ces\
&tz={b.timezone}&from={dip.start}&to={dip.end}" {auth}

  # 4. Closing the loop during the dip, per branch: {b.id} called back late
  curl -s "{base_url}/v1/metrics/follow-ups?group_by=location_id\
&from={dip.start}&to={dip.end}&format=csv" {auth}

  # 5. SERVQUAL gaps at {b.id} during the dip, and every branch's staff eNPS beside
  #    its customers' NPS over the whole period
  curl -s "{base_url}/v1/metrics/servqual?location_id={b.id}&from={dip.start}&to={dip.end}" {auth}
  curl -s "{base_url}/v1/metrics/service-profit-chain?from={spec.start.date()}&to={last}" {auth}

  # 6. Would the service have noticed? Replay the alerts over the dip's first weeks:
  #    at the default scale {b.id}'s NPS, CES and CSAT alerts open 1-4 days after {dip.start}
  feedback alerts backtest --from {replay_from} --to {replay_to}

  # 7. What {b.name}'s customers wrote during the dip: payment (the card terminal) and
  #    waiting rise against the weeks before, and the comments turn negative. The running
  #    service reads the demo's comments in the background within a few minutes
  #    (feedback text status shows how far it is)
  curl -s "{base_url}/v1/metrics/themes?location_id={b.id}&tz={b.timezone}\
&from={dip.start}&to={dip.end}&format=csv" {auth}

  Interactive docs: {base_url}/docs (Authorize with the key).
"""
