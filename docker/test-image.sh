#!/usr/bin/env bash
# Builds docker/Dockerfile for real with podman and checks the running image as an operator would:
# health UP, a real export dropped into the mounted inbox loaded (the same count as `encore import`
# gives on the host), its months in the curated zone as Parquet, sign-in required on 0.0.0.0, the dashboard answering, the process not root, and a `docker stop`-style
# SIGTERM shutting it down in order within its grace period.
#
# No Docker engine and no registry are reachable here, so the base images are made first:
# debootstrap a minimal Debian with the Java 17 JRE (the runtime base) and add the JDK and Maven
# to it (the build base). Needs root, podman, runc and debootstrap (installed when missing).
#   docker/test-image.sh            # about 6 minutes the first time, 2 once the bases exist
# ENCORE_IMAGE_CACHE (default /var/tmp/encore-image) keeps the debootstrapped folder between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${ENCORE_IMAGE_CACHE:-/var/tmp/encore-image}
RUNTIME_BASE=localhost/encore-base-jre:17
BUILD_BASE=localhost/encore-base-build:17
IMAGE=localhost/encore:test
NAME=encore-image-test
HTTP_PORT=${ENCORE_TEST_HTTP_PORT:-18080}
MANAGEMENT_PORT=${ENCORE_TEST_MANAGEMENT_PORT:-18081}
SAMPLE=../shared/samples/real/c3988169/Streaming_History_Audio_2024-2025.json
GRACE=45   # docker/compose.yaml's stop_grace_period: longer than camel.main.shutdown-timeout

say() { printf '\n== %s\n' "$*"; }
fail() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
# grep on a captured string, not a pipe: with pipefail, grep -q leaving early makes curl die of
# SIGPIPE and the whole check fail on a page that did answer (how CI once failed here).
contains() { grep -qF -- "$2" <<<"$1"; }
podman() { command podman --runtime=runc "$@"; }

[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and rootful podman)"
need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && apt-get install -y -q "${need[@]}"
fi
# crun fails on these hosts' hybrid cgroups, and the default ulimits cannot be set here
if ! grep -qs 'cgroup_manager *= *"cgroupfs"' /etc/containers/containers.conf; then
  mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n\n[engine]\ncgroup_manager = "cgroupfs"\n' >> /etc/containers/containers.conf
fi

start=$(date +%s)
if ! podman image exists "$RUNTIME_BASE"; then
  say "making the runtime base: debootstrap Debian bookworm with openjdk-17-jre-headless"
  mkdir -p "$CACHE"
  if [ ! -x "$CACHE/rootfs/usr/bin/java" ]; then
    rm -rf "$CACHE/rootfs"
    debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$CACHE/rootfs" http://deb.debian.org/debian \
      > "$CACHE/debootstrap.log" 2>&1 || { tail -20 "$CACHE/debootstrap.log"; fail "debootstrap"; }
  fi
  tar -C "$CACHE/rootfs" --exclude='./var/cache/apt/archives/*.deb' -c . | podman import - "$RUNTIME_BASE" >/dev/null
fi
if ! podman image exists "$BUILD_BASE"; then
  say "making the build base: the runtime base with the JDK and Maven"
  # the host's own certificate authorities (a TLS-inspecting egress proxy, say) for Maven Central
  context=$(mktemp -d)
  mkdir -p "$context/ca"
  cp /usr/local/share/ca-certificates/*.crt "$context/ca/" 2>/dev/null || true
  printf 'FROM %s\nCOPY ca/ /usr/local/share/ca-certificates/\nRUN apt-get update -q && apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless maven ca-certificates-java && update-ca-certificates && rm -rf /var/lib/apt/lists/*\n' \
    "$RUNTIME_BASE" > "$context/Containerfile"
  podman build --network=host -t "$BUILD_BASE" -f "$context/Containerfile" "$context" > target/image-base.log 2>&1 \
    || { tail -20 target/image-base.log; fail "the build base (target/image-base.log)"; }
  rm -rf "$context"
fi
bases=$(date +%s)

say "building docker/Dockerfile on those bases"
# the host's Maven repository serves the build stage, so nothing is downloaded twice
mkdir -p "$HOME/.m2"
podman build --network=host --format docker -v "$HOME/.m2:/root/.m2" -f docker/Dockerfile \
  --build-arg BUILD_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" -t "$IMAGE" . \
  > target/image-build.log 2>&1 || { tail -30 target/image-build.log; fail "podman build (target/image-build.log)"; }
built=$(date +%s)

say "what the host's encore import makes of the sample"
[ -f target/encore.jar ] || mvn -q -B -DskipTests package
work=$(mktemp -d)
trap 'podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
expected=$(cd "$work" && java -Dencore.log.level=ERROR -jar "$OLDPWD/target/encore.jar" import --user alex \
  --db "jdbc:h2:file:$work/expected" "$OLDPWD/$SAMPLE" | sed -n 's/.*; \([0-9][0-9]*\) new streams for user.*/\1/p' | head -1)
[ -n "$expected" ] && [ "$expected" -gt 0 ] || fail "the host import of $SAMPLE gave no count"
echo "expected: $expected streams for alex"

say "running the image with the sample in the mounted inbox"
mkdir -p "$work/inbox/alex"
cp "$SAMPLE" "$work/inbox/alex/"
chown -R 10001:10001 "$work/inbox"   # the image's user must be able to move the file to processed/
# podman schedules HEALTHCHECKs through systemd timers, which this host lacks (it says so, harmlessly):
# the check is run by hand below
# the container listens on 0.0.0.0, so sign-in is required: its first admin comes from the environment
ADMIN_PASSWORD="test-image $(head -c 12 /dev/urandom | base64)"
podman run -d --name "$NAME" --network=host -v "$work/inbox:/app/inbox" -e ENCORE_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  -e ENCORE_HTTP_PORT="$HTTP_PORT" -e ENCORE_MANAGEMENT_PORT="$MANAGEMENT_PORT" "$IMAGE" >/dev/null

up=""
for _ in $(seq 1 120); do
  if contains "$(curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/observe/health" || true)" '"status":"UP"'; then up=yes; break; fi
  sleep 1
done
[ -n "$up" ] || { podman logs "$NAME" | tail -30; fail "health never UP"; }
echo "health: UP"
# the image's own HEALTHCHECK command, as Docker runs it
podman healthcheck run "$NAME" || fail "the image's HEALTHCHECK says unhealthy"
echo "HEALTHCHECK: healthy"

api="http://127.0.0.1:$HTTP_PORT"
stranger=$(curl -s -o /dev/null -w '%{http_code}' "$api/api/users")
[ "$stranger" = 401 ] || fail "the API answered $stranger to a stranger, not 401: sign-in must be required on 0.0.0.0"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MANAGEMENT_PORT/observe/metrics")" = 401 ] \
  || fail "metrics answered a stranger"
[ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$ADMIN_PASSWORD" "http://127.0.0.1:$MANAGEMENT_PORT/observe/metrics")" = 200 ] \
  || fail "metrics refused the admin"
jar="$work/cookies"
signed=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -H 'Content-Type: application/json' \
  -d "{\"user\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" "$api/api/session")
[ "$signed" = 200 ] || { podman logs "$NAME" | tail -30; fail "the admin could not sign in ($signed)"; }
echo "access: a stranger gets 401 from the API and metrics, the admin signs in"

loaded=""
for _ in $(seq 1 120); do
  loaded=$(curl -fs -b "$jar" "$api/api/users" | sed -n 's/.*"user":"alex"[^}]*"streams":\([0-9]*\).*/\1/p')
  [ -n "$loaded" ] && [ -f "$work/inbox/processed/alex/$(basename "$SAMPLE")" ] && break
  sleep 1
done
[ "$loaded" = "$expected" ] || { podman logs "$NAME" | tail -30; fail "the container loaded '$loaded' streams for alex, the host import $expected"; }
echo "export loaded: $loaded streams, the file moved to inbox/processed/alex/"

# the curated zone's next pass writes alex's months as Parquet (DuckDB's native library, as the image runs it)
curated=""
for _ in $(seq 1 120); do
  # (the folder is missing until the first pass: find fails, which must not end the script)
  curated=$({ podman exec "$NAME" find /app/lake/curated/streams/user=alex -name '*.parquet' 2>/dev/null || true; } | wc -l)
  [ "$curated" -gt 0 ] && break
  sleep 1
done
[ "$curated" -gt 0 ] || { podman logs "$NAME" | tail -30; fail "the curated zone wrote no Parquet file for alex"; }
echo "curated zone: $curated Parquet file(s) for alex in /app/lake/curated/streams/"

[ "$(curl -s -o /dev/null -w '%{redirect_url}' "$api/")" = "$api/signin?next=%2F" ] || fail "the dashboard did not send a stranger to sign in"
contains "$(curl -fs "$api/signin" || true)" '<title>Sign in' || fail "the sign-in page did not answer"
contains "$(curl -fs -b "$jar" "$api/" || true)" '<title>Encore' || fail "the dashboard did not answer the admin"
echo "dashboard: sends a stranger to /signin, answers the admin"

uid=$(podman exec "$NAME" id -u)
[ "$uid" = 10001 ] || fail "the process runs as uid $uid"
grep -q '^encore .*java' <<<"$(podman top "$NAME" user,args)" || { podman top "$NAME" user,args; fail "java is not run by the encore user"; }
echo "runs as: encore (uid $uid)"

say "docker stop: SIGTERM, then at most $GRACE s"
t0=$(date +%s.%N)
podman stop -t "$GRACE" "$NAME" >/dev/null
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
# 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and ended; 137 would be the SIGKILL after the grace period
[ "$code" = 143 ] || [ "$code" = 0 ] || { podman logs "$NAME" | tail -20; fail "exit code $code after stop"; }
grep -q 'Apache Camel .* (encore) shutdown' <<<"$(podman logs "$NAME" 2>&1)" \
  || { podman logs "$NAME" | tail -20; fail "no orderly Camel shutdown in the log"; }
echo "stopped in ${took} s, exit code $code, Camel shut down in order"

end=$(date +%s)
say "image checks passed: bases $((bases - start)) s, image build $((built - bases)) s, run and checks $((end - built)) s"
