#!/usr/bin/env bash
# Installs from Debian 12 what HomeVault needs (root or sudo), never Debian's recommended extras:
#   scripts/setup.sh          what scripts/demo.sh runs: builds the native binary, runs it, and serves it synthetic
#                             cameras (also enough to build and run the service)
#   scripts/setup.sh --test   that plus what the tests run besides (scripts/test.sh, .ci/run)
# Installs only what is missing; one apt-get update first when it installs anything.
set -euo pipefail
case "${1:-}" in
  "") with_tests=0 ;;
  --test) with_tests=1 ;;
  *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac

pkgs=(
  # Building the native (AOT) binary: gcc links it (libc6-dev and zlib1g-dev are on .NET's list of its
  # prerequisites; gcc only recommends libc6-dev); NuGet restores over HTTPS.
  gcc libc6-dev zlib1g-dev ca-certificates
  # Running it: OpenSSL does the payload's ChaCha20-Poly1305 and SHA-256; ffmpeg records (-c copy), trims and
  # strips audio for releases, and its ffprobe reads clips.
  libssl3 ffmpeg
  # The demo's cameras, tools/camsim/camsim.py: GStreamer's RTSP server from Python, serving a test pattern that
  # ffmpeg encodes once (libx264, libx265: dependencies of Debian's ffmpeg).
  python3 python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-plugins-base   # audiotestsrc (the G.711 cameras)
  gstreamer1.0-plugins-good   # matroskademux, rtph264pay, rtph265pay, rtppcmupay, rtppcmapay, mulawenc, alawenc, rtpbin
  gstreamer1.0-plugins-bad    # h264parse, h265parse
)
if ((with_tests)); then
  pkgs+=(
    age minisign sqlite3      # the interop tests run the stock tools; the catalog tests read the SQLite files
    chromium fonts-dejavu-core  # the browser tests (Playwright) and the report's screenshot; a font for the pages' text
    systemd                   # systemd-analyze security rates the shipped unit (tests/HomeVault.Cli.Tests/SystemdUnitTests.cs)
    python3-seccomp           # tools/mdwe: the demo under systemd's MemoryDenyWriteExecute rules (DemoTests)
    procps                    # kill: a test stops `serve` with SIGTERM as systemd would
    vlc-bin vlc-plugin-base   # VLC's RTSP server: the second, independent RTSP implementation the native ingest is tested against (UDP only)
    glib-networking openssl   # camsim's rtsps:// mount (GLib's TLS) and its test certificate (TlsIngestTests)
    ceph-mon ceph-osd radosgw ceph-common curl  # a real S3 server on loopback for the replica tests (scripts/s3/rgw-up.sh)
  )
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
