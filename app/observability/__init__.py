"""Operations: Prometheus metrics (`/metrics`), structured logs and request ids."""
