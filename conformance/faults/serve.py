"""Serve the sandbox app behind one fault: `python -m conformance.faults.serve --fault NAME --port N`."""
from __future__ import annotations

import argparse
import sys

from conformance.sandbox import HOST, LOOPBACK_HOSTS, ServerProcess


def build_app(fault: str, valid_token: str, fixtures: str | None, public_url: str | None = None):
    from mock_server.app import create_app   # the only door into the sandbox: its ASGI app factory
    from conformance.faults.catalog import transform_for
    from conformance.faults.proxy import FaultMiddleware
    app = create_app(fixtures_path=fixtures, webhook_hosts=LOOPBACK_HOSTS.split(","),
                     **({"public_url": public_url} if public_url else {}))
    return FaultMiddleware(app, transform_for(fault, valid_token))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", default="none")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True, help="the valid token, for auth_ignored")
    parser.add_argument("--fixtures", default=None, help="fixture file (default: the sandbox's own)")
    args = parser.parse_args(argv)
    import uvicorn
    app = build_app(args.fault, args.token, args.fixtures, public_url=f"http://{HOST}:{args.port}")
    uvicorn.run(app, host=HOST, port=args.port, log_level="warning",
                access_log=False)


class FaultServer(ServerProcess):
    """`with FaultServer("money_as_floats", token) as server:` serves a fresh sandbox behind the fault."""

    def __init__(self, fault: str, valid_token: str) -> None:
        super().__init__()
        self.fault, self.valid_token = fault, valid_token

    def __enter__(self) -> "FaultServer":
        self.start([sys.executable, "-m", "conformance.faults.serve", "--fault", self.fault,
                    "--port", str(self.port), "--token", self.valid_token])
        return self


if __name__ == "__main__":
    main()
