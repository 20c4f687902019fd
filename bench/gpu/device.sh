#!/bin/sh
# bench/gpu/device.sh QUERY: the GPU machine's half of the bench (bench/gpu/README.md). Expects the
# staged Chromium payload in /opt/gpubench-stage/part1 (an earlier call) and ./.gpustage-b/part2 (this
# call). Unpacks Chromium into /opt/gpubench, installs the GL loaders (.gl recipe of the device README),
# probes Chromium flag sets until the WebGL renderer is the NVIDIA GPU, runs the bench page with that set
# (QUERY = the page's query string), and leaves bench.jsonl and logs.tar.gz under $OUT.
set -u
query=$1
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/gpubench-out; mkdir -p "$work"
out=${OUT:-$work}
main() {
  if [ ! -x /opt/gpubench/chromium/chromium ]; then
    [ -f /opt/gpubench-stage/part1 ] || { echo "no /opt/gpubench-stage/part1: the staging call did not reach this machine"; return 3; }
    cat /opt/gpubench-stage/part1 .gpustage-b/part2 | tar -x -C /opt/gpubench-stage || return 3
    mkdir -p /opt/gpubench && tar -xJf /opt/gpubench-stage/rest.tar.xz -C /opt/gpubench || return 3
    xz -dc /opt/gpubench-stage/chromium.xz > /opt/gpubench/chromium/chromium && chmod +x /opt/gpubench/chromium/chromium || return 3
  fi
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export VK_ICD_FILENAMES=$VK_DRIVER_FILES
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  export LD_LIBRARY_PATH=/opt/gpubench/chromium/lib
  export FONTCONFIG_FILE=/opt/gpubench/fonts/fonts.conf
  chrome=/opt/gpubench/chromium/chromium
  "$chrome" --version || return 5
  ls /usr/local/nvidia/share/vulkan/icd.d /usr/local/nvidia/share/glvnd/egl_vendor.d /dev/dri 2>&1
  chosen=""
  n=0
  for set in \
    "--use-angle=vulkan --enable-features=Vulkan,VulkanFromANGLE --disable-vulkan-surface --ignore-gpu-blocklist --enable-gpu" \
    "--use-gl=angle --use-angle=gl-egl --ignore-gpu-blocklist --enable-gpu" \
    "--use-angle=gl --ignore-gpu-blocklist --enable-gpu" \
    "--use-gl=egl --ignore-gpu-blocklist --enable-gpu"; do
    n=$((n+1))
    echo "== probe $n: $set"
    # shellcheck disable=SC2086
    timeout 60 sh "$here/run.sh" "$chrome" "$work/probe$n.jsonl" "probe&backends=webgl" 40 $set
    grep -o '"tfjsWebglRenderer": "[^"]*"' "$work/probe$n.jsonl" | tail -1
    grep -Ei 'error|fail|vulkan|egl' "$work/probe$n.jsonl.chromium.log" | grep -v dbus | head -8
    if grep -q '"tfjsWebglRenderer": "[^"]*NVIDIA' "$work/probe$n.jsonl"; then chosen=$set; break; fi
  done
  echo "chosen flags: ${chosen:-none}"
  echo "$chosen" > "$work/flags.txt"
  [ -n "$chosen" ] || return 4
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$work/gpu.txt"
  cat /proc/loadavg > "$work/load-before.txt"
  # shellcheck disable=SC2086
  sh "$here/run.sh" "$chrome" "$work/bench.jsonl" "$query" 540 $chosen; rc=$?
  cat /proc/loadavg > "$work/load-after.txt"
  return $rc
}
main; rc=$?
cp "$work/bench.jsonl" "$out/" 2>/dev/null
tar -czf "$out/logs.tar.gz" -C "$work" . 2>/dev/null
echo "device.sh rc=$rc"
exit $rc
