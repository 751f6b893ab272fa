# The dumont-e2e worker image used by docker-compose.yml (a real deployment; the embedded stack needs no Docker).
# Debian, not Alpine: the Temporal SDK's native core needs glibc. The slim image lacks CA certificates, which HTTPS to
# the Dumont API and VAST needs.
FROM node:20-bookworm-slim

RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so source edits do not reinstall them. The postinstall script must be present for `npm ci`;
# the worker does not use the `temporal` CLI, so its PyPI install (which needs python3) is skipped.
COPY package.json package-lock.json ./
COPY scripts/ ./scripts/
RUN DUMONT_E2E_SKIP_TEMPORAL_INSTALL=1 npm ci --omit=dev && npm cache clean --force

# tsx runs the TypeScript sources as they are (bin/dumont-e2e.cjs), as on a developer's machine.
COPY tsconfig.json ./
COPY bin/ ./bin/
COPY src/ ./src/

# Local state (no SSH keys: each suite's key is derived from DUMONT_E2E_KEY_SECRET): a volume in docker-compose.yml.
RUN mkdir -p /data && chown node:node /data
ENV DUMONT_E2E_DATA_DIR=/data
USER node

# Stops gracefully on SIGTERM (docker stop): in-flight activities get the worker's shutdown grace.
CMD ["node", "bin/dumont-e2e.cjs", "worker"]
