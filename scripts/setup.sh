#!/usr/bin/env bash
# Installs HomeVault's runtime and test dependencies on Debian 12 (needs root or sudo).
set -euo pipefail
pkgs=(age minisign ffmpeg sqlite3 systemd
      python3 python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp
      gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
      chromium fonts-dejavu-core
      gcc zlib1g-dev   # gcc links the native (AOT) build; zlib1g-dev is in .NET's list of its prerequisites
      python3-seccomp) # tools/mdwe: the tests run the demo under systemd's MemoryDenyWriteExecute rules
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${missing[@]}"
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
