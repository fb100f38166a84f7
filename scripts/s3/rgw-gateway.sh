#!/usr/bin/env bash
# rgw-gateway.sh DIR stop|start - stops or starts only the RADOS Gateway of rgw-up.sh DIR, on the same port, keeping
# the cluster and its objects: an S3 store that goes away and comes back, for the replica's outage tests.
set -euo pipefail
DIR=${1:?usage: rgw-gateway.sh DIR stop|start}
[ -f "$DIR/ceph.conf" ] || { echo "rgw-gateway: not a directory of rgw-up.sh: $DIR" >&2; exit 1; }
export CEPH_CONF="$DIR/ceph.conf"
port=$(sed -n 's/^rgw frontends = beast endpoint=127.0.0.1:\([0-9]*\)$/\1/p' "$CEPH_CONF")
case "${2:-}" in
  stop)
    pid=$(cat "$DIR/run/rgw.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true ;;
  start)
    setsid radosgw -n client.rgw -f </dev/null >>"$DIR/log/rgw.out" 2>&1 & echo $! >"$DIR/run/rgw.pid"
    for _ in $(seq 120); do
      curl -sf "http://127.0.0.1:$port/" | grep -q ListAllMyBucketsResult && exit 0
      kill -0 "$(cat "$DIR/run/rgw.pid")" 2>/dev/null || { echo "rgw-gateway: radosgw exited (see $DIR/log)" >&2; exit 1; }
      sleep 0.5
    done
    echo "rgw-gateway: radosgw not ready after 60s" >&2; exit 1 ;;
  *) echo "usage: rgw-gateway.sh DIR stop|start" >&2; exit 2 ;;
esac
