#!/usr/bin/env python3
"""Static server + result sink for the GPU bench (bench/gpu/README.md).

python3 bench/gpu/serve.py SITE_DIR PORT OUT_JSONL [TIMEOUT_S]
Serves SITE_DIR on 127.0.0.1:PORT; every POST /report body (one JSON message from the page) is printed
and appended to OUT_JSONL. Exits 0 after a message of type 'done', 1 after 'error' or at the timeout.
Only Python's standard library: it runs where there is no Node.
"""
import functools, http.server, json, sys, threading, time

site, port, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 600
state = {"exit": None}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.end_headers()
        try:
            message = json.loads(body)
        except ValueError:
            return
        with open(out_path, "a") as out:
            out.write(json.dumps(message) + "\n")
        kind = message.get("type")
        if kind == "log":
            print(message["line"], flush=True)
        elif kind in ("page", "meta", "error"):
            print(json.dumps(message), flush=True)
        if kind == "done":
            state["exit"] = 0
        elif kind == "error":
            state["exit"] = 1


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=site))
threading.Thread(target=server.serve_forever, daemon=True).start()
deadline = time.time() + timeout
while state["exit"] is None and time.time() < deadline:
    time.sleep(0.2)
time.sleep(0.3)
if state["exit"] is None:
    print(f"serve.py: no 'done' within {timeout:.0f} s", flush=True)
sys.exit(1 if state["exit"] is None else state["exit"])
