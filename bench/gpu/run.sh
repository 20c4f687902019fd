#!/bin/sh
# bench/gpu/run.sh CHROMIUM OUT_JSONL QUERY TIMEOUT_S [extra Chromium flags...]
# Serves bench/gpu/site with serve.py, opens it in headless Chromium with the given flags, waits for the
# page's 'done' (or the timeout), then ends that Chromium. No Node needed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
chrome=$1; out=$2; query=$3; timeout=$4; shift 4
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
profile=$(mktemp -d)
python3 "$here/serve.py" "$here/site" "$port" "$out" "$timeout" &
server=$!
sleep 0.5
"$chrome" --headless=new --no-sandbox --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" "$@" \
  "http://127.0.0.1:$port/index.html?$query" >"$out.chromium.log" 2>&1 &
browser=$!
wait $server; rc=$?
kill $browser 2>/dev/null; sleep 0.5; kill -9 $browser 2>/dev/null
rm -rf "$profile"
exit $rc
