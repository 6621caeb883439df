# syntax=docker/dockerfile:1
# Operations: the apps' operations as Apollo sends them, hashed — the only documents production runs.
FROM node:20-slim AS operations
WORKDIR /clients
COPY clients/package.json clients/package-lock.json ./
RUN npm ci --ignore-scripts
COPY graphql_schema.graphql /graphql_schema.graphql
COPY clients/codegen.ts ./
COPY clients/operations ./operations
COPY clients/scripts/allowlist.mjs ./scripts/
RUN npm run allowlist

# Builder: installs the package and its dependencies into a venv that the final image copies whole.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml ./
COPY migratio ./migratio
COPY schema ./schema
COPY resolvers ./resolvers
COPY domain ./domain
COPY datasources ./datasources
COPY migrations ./migrations
RUN pip install .

# Final: no compilers, no sources, a user that owns nothing it could overwrite.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=8000
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin migratio
COPY --from=builder /opt/venv /opt/venv
COPY --from=operations /clients/allowlist.json /app/allowlist.json
ENV GRAPHQL_ALLOWLIST_FILE=/app/allowlist.json
WORKDIR /app
USER migratio
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["migratio", "serve"]
