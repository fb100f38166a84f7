#!/usr/bin/env bash
# rgw-down.sh DIR [--keep] - stops what rgw-up.sh DIR started (radosgw, then the OSD, then the monitor: radosgw hangs
# for up to 120 s when the OSD goes first) and deletes DIR, or with --keep leaves DIR. Whatever is still running
# after 10 s is killed.
set -u
DIR=${1:?usage: rgw-down.sh DIR [--keep]}
[ -f "$DIR/ceph.conf" ] || { echo "rgw-down: not a directory of rgw-up.sh: $DIR" >&2; exit 1; }
stop() {
  local pids="" p alive
  for n in "$@"; do [ -f "$DIR/run/$n.pid" ] && pids="$pids $(cat "$DIR/run/$n.pid")"; done
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 50); do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.2
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null; done
}
stop rgw
stop osd
stop mon
[ "${2:-}" = "--keep" ] || rm -rf "$DIR"
