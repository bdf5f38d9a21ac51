"""`python -m benchmarks.serve LIMITS EXTRA_RUNNING`: a sandbox server; prints its URL."""

from __future__ import annotations

import sys

from cio_toolkit.sandbox import Sandbox, SandboxServer

if __name__ == "__main__":
    limits, extra_running = bool(int(sys.argv[1])), int(sys.argv[2])
    workspace = Sandbox(rate_limits=limits, extra_running_campaigns=extra_running)
    server = SandboxServer(workspace)
    print(server.url, flush=True)
    server.serve_forever()
