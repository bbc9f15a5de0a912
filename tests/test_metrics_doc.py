"""docs/metrics.md's worked examples, read from the page and computed by the service's code.

The answers and the figures both come from the page, so a change to either the page or the
math that makes them disagree fails here.
"""

import re
from pathlib import Path
from typing import Any

import pytest

from app import stats

PAGE = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


def examples() -> dict[str, str]:
    """The text of each '### Example: name' section, by name."""
    parts = re.split(r"^### Example: (.+)$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    return {name.strip(): body for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def answers(body: str, label: str) -> list[float]:
    line = re.search(rf"^{re.escape(label)}: (.+)$", body, flags=re.M)
    assert line, f"no '{label}:' line"
    return [float(v) for v in line.group(1).split(",")]


def figures(body: str) -> dict[str, str]:
    rows = re.findall(r"^\| (\w+) \| (\S+) \|$", body, flags=re.M)
    return {name: value for name, value in rows if name != "figure"}


def scores(values: list[float]) -> list[int]:
    assert all(v.is_integer() for v in values)
    return [int(v) for v in values]


def computed(name: str, body: str) -> dict[str, Any]:
    if name == "NPS":
        r = stats.nps(stats.histogram(scores(answers(body, "Answers")), stats.NPS_SCALE))
        return {"n": r.n, "promoters": r.promoters, "passives": r.passives,
                "detractors": r.detractors, "nps": r.value, "ci_low": r.ci_low,
                "ci_high": r.ci_high, "se": r.se}  # fmt: skip
    if name == "CSAT":
        counts = stats.histogram(scores(answers(body, "Answers")), stats.CSAT_SCALE)
        satisfied = stats.csat(counts)
        return {"n": satisfied.n, "csat": satisfied.value, "ci_low": satisfied.ci_low,
                "ci_high": satisfied.ci_high,
                "csat_mean": stats.csat_mean(counts).value}  # fmt: skip
    if name == "comparison":
        nps_body = examples()["NPS"]
        current = stats.nps(stats.histogram(scores(answers(nps_body, "Answers")), stats.NPS_SCALE))
        previous = stats.nps(
            stats.histogram(scores(answers(body, "Previous period's answers")), stats.NPS_SCALE)
        )
        c = stats.compare(current.value, current.se, previous.value, previous.se)
        return {"previous_nps": previous.value, "delta": c.delta, "se_delta": c.se_delta,
                "z": c.z, "significant": c.significant}  # fmt: skip
    if name == "shrinkage":
        result = stats.consistency(
            [("lis-03", 0.0, 10, -46.5, 46.5), ("vie-07", 45.0, 120, 30.0, 58.0)], 33.0, 30
        )
        lisbon, vienna = result.groups
        assert not lisbon.included  # as the page says: left out of the spread
        assert lisbon.flag is None
        return {"lisbon_shrunk": lisbon.shrunk, "vienna_shrunk": vienna.shrunk}
    if name == "time to first contact":
        hours = sorted(answers(body, "Hours to first contact of seven cases"))
        within = stats.share(sum(h <= 48 for h in hours), len(hours))
        return {"median_hours": stats.quantile(hours, 0.5),
                "p90_hours": stats.quantile(hours, 0.9), "within_sla": within.value}  # fmt: skip
    if name == "themes":
        mentioning = scores(answers(body, "Mentioning"))
        others = scores(answers(body, "Not mentioning"))
        comments = len(mentioning) + len(others)
        share = stats.share(len(mentioning), comments)
        with_ = stats.nps(stats.histogram(mentioning, stats.NPS_SCALE))
        without = stats.nps(stats.histogram(others, stats.NPS_SCALE))
        gap = stats.difference(with_.value, with_.se, without.value, without.se)
        change = stats.share_difference(len(mentioning), comments, 4, 50)  # "4 of 50"
        return {"share": share.value, "share_ci_low": share.ci_low,
                "share_ci_high": share.ci_high, "mentioning_nps": with_.value,
                "not_mentioning_nps": without.value, "difference": gap.value,
                "se_difference": gap.se, "difference_ci_low": gap.ci_low,
                "difference_ci_high": gap.ci_high, "change": change.value,
                "change_ci_low": change.ci_low, "change_ci_high": change.ci_high,
                "change_significant": change.significant}  # fmt: skip
    raise AssertionError(f"an example this test does not know: {name}")


def test_the_page_has_the_examples() -> None:
    assert set(examples()) == {
        "NPS", "CSAT", "comparison", "shrinkage", "time to first contact", "themes",
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(examples()))
def test_each_figure_on_the_page_is_what_the_code_computes(name: str) -> None:
    body = examples()[name]
    shown = figures(body)
    actual = computed(name, body)
    assert set(shown) == set(actual), f"figures shown {set(shown)} vs computed {set(actual)}"
    for figure, text in shown.items():
        value = actual[figure]
        if text in ("true", "false"):
            assert value is (text == "true"), (figure, text, value)
            continue
        decimals = len(text.partition(".")[2])
        assert round(value, decimals) == float(text), (figure, text, value)
