# Peregrine: receives Falco alerts on :2801 and forwards them (a drop-in falcosidekick replacement).
#   docker build -t peregrine .
#   docker run --rm -p 2801:2801 --read-only -v peregrine-spool:/var/lib/peregrine peregrine
#   docker run ... -v "$PWD/peregrine.yaml:/etc/peregrine/config.yaml:ro" peregrine -c /etc/peregrine/config.yaml
# The base image must be Debian-based with Node 24 (node:sqlite, type stripping, fetch).
ARG BASE_IMAGE=node:24-bookworm-slim

# ---- build: full install (typescript, and the `node` devDependency that npm scripts run on), compile to dist/
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm ci's postinstall applies patches/ (patch-package) to the installed dependencies.
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY outputs ./outputs
# tsc rewrites the relative .ts imports to .js and copies package.json (imported by src/version.ts) to dist/.
RUN npm run build \
 && test -f dist/src/main.js && test -f dist/outputs/index.js && test -f dist/package.json

# ---- production dependencies only (pure JS: no install scripts needed), then the patched ones from
# the build stage (patch-package is a devDependency; docs/performance.md, round 31)
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/node_modules/kafkajs ./node_modules/kafkajs

# ---- runtime: compiled JS on the base image's node, numeric non-root user, read-only root filesystem
FROM ${BASE_IMAGE}
# MALLOC_ARENA_MAX=2: glibc gives each thread that mallocs (the writer threads, V8's compiler and GC
# helpers, libuv's pool) an arena of its own, which keeps what it once held; two arenas took the
# fan-out bench's peak RSS down by 12 and 21 MiB (medians of three, two sets) at the same CPU per
# alert (docs/performance.md, round 13).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    SPOOL_ENABLED=true \
    SPOOL_DIR=/var/lib/peregrine
# The spool (SQLite, WAL) is the only place Peregrine writes: a volume, so the root filesystem can be read-only.
RUN groupadd --gid 10001 peregrine \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin peregrine \
 && mkdir -p /var/lib/peregrine /etc/peregrine \
 && chown 10001:10001 /var/lib/peregrine
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web console's page (plain HTML/CSS/JS, served by the daemon at /ui when console.enabled).
COPY ui ./ui
COPY package.json ./
USER 10001:10001
VOLUME ["/var/lib/peregrine"]
EXPOSE 2801
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.LISTENPORT || 2801}/ping`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (exec form, no shell): main.ts handles SIGTERM/SIGINT itself (stop accepting, drain
# queues, exit) and Peregrine starts no child processes, so there is nothing for an init to reap.
# --max-semi-space-size=8: V8 otherwise sizes the young generation from the host's memory and keeps
# it; under a burst that doubled peak RSS (batched ingest: 247 MiB -> 124 MiB at the same rate, README "Performance").
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/src/main.js"]
CMD []
