#!/bin/sh
# Liveness probe of a station service (deploy/station-health-probe@.service): any HTTP answer
# from $PROBE_URL within $PROBE_TIMEOUT seconds is "alive". Three tries without one: the
# service is killed with SIGABRT ($PROBE_ON_FAIL, or systemctl kill), so systemd's
# Restart=on-failure starts it again. Exit 0 when alive, 1 when it acted.
set -u
url="${PROBE_URL:-http://127.0.0.1:8080/health}"
timeout="${PROBE_TIMEOUT:-5}"
tries="${PROBE_TRIES:-3}"
unit="${PROBE_UNIT:-station-kiosk.service}"

i=0
while [ "$i" -lt "$tries" ]; do
  code=$(curl --silent --output /dev/null --max-time "$timeout" --write-out '%{http_code}' "$url" 2>/dev/null)
  if [ -n "$code" ] && [ "$code" != "000" ]; then
    exit 0
  fi
  i=$((i + 1))
  [ "$i" -lt "$tries" ] && sleep 1
done

echo "health probe: $url gave no answer $tries times; restarting $unit" >&2
if [ -n "${PROBE_ON_FAIL:-}" ]; then
  sh -c "$PROBE_ON_FAIL"
else
  systemctl kill --signal=SIGABRT "$unit"
fi
exit 1
