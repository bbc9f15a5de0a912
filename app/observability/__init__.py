"""Operations: the Prometheus metrics (`prometheus`) and the request middleware (request ids,
request metrics, access lines). The log format is app.logs; `GET /metrics` is app.health.scrape."""
