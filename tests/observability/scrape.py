"""Reading `/metrics` answers in tests: {(sample name, labels): value}."""

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sample's value; 0 if it is absent (a series not yet created)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def names(text: str) -> set[str]:
    """Every metric family and sample name in the answer."""
    out: set[str] = set()
    for family in text_string_to_metric_families(text):
        out.add(family.name)
        out.update(s.name for s in family.samples)
    return out
