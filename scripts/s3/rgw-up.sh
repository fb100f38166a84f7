#!/usr/bin/env bash
# rgw-up.sh DIR - a throw-away S3 server on loopback for the replica tests and benchmark: one Ceph monitor, one OSD
# keeping objects in RAM (memstore; MEMSTORE_BYTES caps it, default 4 GiB) and the RADOS Gateway, no mgr, no auth
# between them, every file under DIR. Prints S3_ENDPOINT=, S3_ACCESS_KEY=, S3_SECRET_KEY= lines on stdout once the
# gateway answers S3. Needs ceph-mon ceph-osd radosgw ceph-common (scripts/setup.sh --test). Stop: rgw-down.sh DIR.
set -euo pipefail
DIR=$(realpath -m "${1:?usage: rgw-up.sh DIR}")
mkdir -p "$DIR"/{mon,osd,run,log,rgw,crash}
export CEPH_CONF="$DIR/ceph.conf"   # read by ceph, radosgw-admin and the daemons
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
mon_port=$(free_port)
rgw_port=${RGW_PORT:-$(free_port)}
fsid=$(cat /proc/sys/kernel/random/uuid)
osd_uuid=$(cat /proc/sys/kernel/random/uuid)

log() { echo "[rgw-up] $*" >&2; }
# A failure shows the logs' tails and stops what was started; DIR stays for inspection.
fail() {
  log "FAILED: $*"
  tail -n 20 "$DIR"/log/*.log >&2 || true
  for f in "$DIR"/run/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR
# start NAME CMD...: the daemon in the foreground (-f) of its own session, in the background; its pid in run/NAME.pid
start() { local n=$1; shift; setsid "$@" -f </dev/null >"$DIR/log/$n.out" 2>&1 & echo $! >"$DIR/run/$n.pid"; }
# wait_for SECONDS NAME CMD...: CMD every 0.5 s until it succeeds; fails at once if daemon NAME exited
wait_for() {
  local t=$1 n=$2; shift 2
  for _ in $(seq $((t * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$DIR/run/$n.pid")" 2>/dev/null || fail "$n exited (see $DIR/log)"
    sleep 0.5
  done
  fail "$n not ready after ${t}s"
}

# Quirks (each one hit): radosgw needs "ms mon client mode = crc" without cephx or it retries forever; the OSD's
# memstore asserts at --mkfs unless its folder exists; a 0.1 s paxos interval makes start-up about 5 s, not 20.
cat >"$CEPH_CONF" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
mon cluster log file = $DIR/log/cluster.log
crash dir = $DIR/crash
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0
paxos propose interval = 0.1
[mon]
mon data = $DIR/mon/\$id
[osd]
osd data = $DIR/osd/\$id
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-4294967296}
[client.rgw]
ms mon client mode = crc
rgw data = $DIR/rgw
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
CONF

monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$DIR/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$DIR/monmap" >"$DIR/log/mkfs-mon.out" 2>&1
start mon ceph-mon -i a
wait_for 30 mon ceph --connect-timeout 5 mon stat

osd_id=$(ceph osd new "$osd_uuid")
mkdir -p "$DIR/osd/$osd_id"
ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$DIR/log/mkfs-osd.out" 2>&1
start osd ceph-osd -i "$osd_id"
wait_for 60 osd sh -c "ceph osd dump | grep -q '^osd.$osd_id up'"

start rgw radosgw -n client.rgw
# Ready when it answers S3 (the body), not when the port opens.
wait_for 120 rgw sh -c "curl -sf http://127.0.0.1:$rgw_port/ | grep -q ListAllMyBucketsResult"

access_key=$(python3 -c 'import secrets;print(secrets.token_hex(10).upper())')
secret_key=$(python3 -c 'import secrets;print(secrets.token_urlsafe(30))')
radosgw-admin user create --uid=homevault --display-name=homevault --access-key="$access_key" --secret-key="$secret_key" \
  >"$DIR/log/user.out" 2>&1
log "up after ${SECONDS}s"
echo "S3_ENDPOINT=http://127.0.0.1:$rgw_port"
echo "S3_ACCESS_KEY=$access_key"
echo "S3_SECRET_KEY=$secret_key"
