"""`deploy/`: the Grafana dashboard and the Prometheus files parse, and every metric
their PromQL names is one the running service really exposes."""

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import yaml

from tests.observability.conftest import TwoWorkers
from tests.observability.scrape import names
from tests.observability.test_workers import post_concurrently

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DASHBOARD = DEPLOY / "grafana" / "feedback-service.json"
ALERTS = DEPLOY / "prometheus" / "alerts.yml"
SCRAPE_CONFIG = DEPLOY / "prometheus" / "prometheus.yml"

# Metrics Prometheus makes itself for every target.
PROMETHEUS_OWN = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
# PromQL words that can stand before `(`, `{` or `[` and are not metric names.
_NOT_METRICS = {
    "sum", "max", "min", "avg", "count", "rate", "irate", "increase", "delta", "by",
    "without", "on", "ignoring", "group_left", "group_right", "histogram_quantile",
    "and", "or", "unless", "bool", "offset", "abs", "clamp_min", "clamp_max", "time",
}  # fmt: skip
_SELECTOR = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[|\)|\s*[<>=!]|$)")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')


def metric_names(expr: str) -> set[str]:
    """The metric names an expression selects: label matchers and strings removed, then
    each identifier that stands before a selector, a range or the end of a term."""
    bare = _STRINGS.sub('""', expr)
    bare = re.sub(r"\{[^}]*\}", "{}", bare)  # label matchers
    bare = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", bare)  # grouping labels
    bare = re.sub(r"\[[^\]]*\]", "[]", bare)
    found = {m for m in _SELECTOR.findall(bare) if m not in _NOT_METRICS}
    return {m for m in found if not re.fullmatch(r"[0-9.e]+", m)}


def dashboard_exprs(document: dict[str, Any]) -> list[str]:
    exprs = []
    for panel in document["panels"]:
        exprs += [t["expr"] for t in panel.get("targets", [])]
        for inner in panel.get("panels", []):
            exprs += [t["expr"] for t in inner.get("targets", [])]
    return exprs


def test_the_name_extraction_finds_every_metric() -> None:
    expr = (
        'sum by (le, route) (rate(feedback_a_bucket{job=~"$job", route!~"x|y"}[5m])) '
        '/ ignoring(status) sum(feedback_b) > 0.5 and up{job="feedback"} == 0 or '
        "max(delta(feedback_c[1h])) > 0"
    )
    assert metric_names(expr) == {"feedback_a_bucket", "feedback_b", "up", "feedback_c"}


def test_the_dashboard_is_an_importable_grafana_dashboard() -> None:
    document = json.loads(DASHBOARD.read_text())
    assert document["uid"] == "feedback-service"
    assert document["title"]
    variables = {v["name"]: v for v in document["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    ids = [p["id"] for p in document["panels"]]
    assert len(ids) == len(set(ids))
    titles = " ".join(p["title"] for p in document["panels"]).lower()
    for shown in ("request rate", "p50", "p99", "5xx", "channel", "outcome", "rollup lag",
                  "outbox", "connections"):  # fmt: skip
        assert shown in titles, shown
    for panel in document["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}"
            assert panel["targets"], panel["title"]


def test_the_alert_rules_are_prometheus_rule_groups() -> None:
    document = yaml.safe_load(ALERTS.read_text())
    rules = [rule for group in document["groups"] for rule in group["rules"]]
    assert {r["alert"] for r in rules} >= {
        "FeedbackServiceDown",
        "FeedbackHigh5xxRate",
        "FeedbackHighLatencyP99",
        "FeedbackRollupLagHigh",
        "FeedbackWebhookBacklog",
        "FeedbackWebhookDeliveryFailures",
        "FeedbackDbPoolSaturated",
    }
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in ("critical", "warning", "info")
        assert rule["annotations"]["summary"]
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]
    config = yaml.safe_load(SCRAPE_CONFIG.read_text())
    assert config["rule_files"] == [ALERTS.name]
    assert config["scrape_configs"][0]["metrics_path"] == "/metrics"


async def test_every_metric_named_in_deploy_exists_in_a_real_scrape(
    two_workers: TwoWorkers,
) -> None:
    # Some traffic first, so the labelled series have samples.
    await post_concurrently(two_workers.service.base_url, two_workers.keys["ingest"], 5)
    two_workers.get("/nowhere")
    await asyncio.sleep(0.1)
    answer = two_workers.get("/metrics", two_workers.keys["admin"])
    assert answer.status_code == 200
    exposed = names(answer.text) | PROMETHEUS_OWN
    used: dict[str, set[str]] = {}
    for expr in dashboard_exprs(json.loads(DASHBOARD.read_text())):
        used.setdefault("dashboard", set()).update(metric_names(expr))
    for group in yaml.safe_load(ALERTS.read_text())["groups"]:
        for rule in group["rules"]:
            used.setdefault("alerts", set()).update(metric_names(rule["expr"]))
    for where, metrics in used.items():
        assert len(metrics) >= 8, (where, metrics)  # the extraction found them
        missing = metrics - exposed
        assert not missing, f"{where} names metrics the service does not expose: {missing}"
