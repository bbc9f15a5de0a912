# syntax=docker/dockerfile:1
# A production image: the service only, no embedded PostgreSQL. Needs FEEDBACK_DATABASE_URL.
#   docker build -t feedback .
#   docker run -p 8000:8000 -e FEEDBACK_DATABASE_URL=postgresql://user:pass@db/feedback \
#     --read-only --tmpfs /tmp feedback

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin feedback
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY alembic.ini ./
COPY migrations ./migrations
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FEEDBACK_HOST=0.0.0.0 \
    FEEDBACK_PORT=8000 \
    FEEDBACK_BOOTSTRAP_ADMIN_KEY=false
USER feedback
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['FEEDBACK_PORT'], timeout=2)"
# `serve` migrates first (advisory-locked, safe with several replicas), then serves.
CMD ["feedback", "serve"]
