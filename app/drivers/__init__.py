"""Key driver analysis: `GET /v1/metrics/drivers` (docs/metrics.md, "Drivers")."""
