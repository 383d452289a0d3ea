#!/usr/bin/env bash
# Starts a standalone Hawtio on http://127.0.0.1:8090/hawtio/ to watch a running Encore through its
# Jolokia URL (docs/operations.md). Hawtio's pieces come from Maven Central as Encore's test
# dependencies; nothing is installed.
#   ops/hawtio.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8090}
version=$(sed -n 's:.*<hawtio.version>\(.*\)</hawtio.version>.*:\1:p' pom.xml)
# Maven wraps even quiet output in colour codes: strip them
plain() { sed 's/\x1b\[[0-9;]*m//g'; }
classpath=$(mvn -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout | plain)
repository=$(mvn -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout | plain)
war=$repository/io/hawt/hawtio-default/$version/hawtio-default-$version.war
[ -f "$war" ] || mvn -q -B dependency:get -Dartifact="io.hawt:hawtio-default:$version:war"
echo "Hawtio on http://127.0.0.1:$port/hawtio/ : Connect, Add connection, 127.0.0.1 port 8081 path /observe/jolokia" >&2
# no sign-in, so loopback only; its proxy may reach loopback only
exec java -Dhawtio.authenticationEnabled=false -Dhawtio.proxyAllowlist=localhost,127.0.0.1 -cp "$classpath" \
  src/test/java/dev/encore/monitoring/HawtioLauncher.java --war "$war" --host 127.0.0.1 --port "$port" --open-url=false
