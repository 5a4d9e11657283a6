"""Serve the sandbox app behind one fault: `python -m conformance.faults.serve --fault NAME --port N`."""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile

from conformance.sandbox import DEFAULT_FIXTURES, HOST, REPO_ROOT, free_port, stop, wait_for_health


def build_app(fault: str, valid_token: str, fixtures: str | None):
    from mock_server.app import create_app   # the only door into the sandbox: its ASGI app factory
    from conformance.faults.catalog import transform_for
    from conformance.faults.proxy import FaultMiddleware
    return FaultMiddleware(create_app(fixtures_path=fixtures), transform_for(fault, valid_token))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", default="none")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True, help="the valid token, for auth_ignored")
    parser.add_argument("--fixtures", default=str(DEFAULT_FIXTURES) if DEFAULT_FIXTURES.exists() else None)
    args = parser.parse_args(argv)
    import uvicorn
    uvicorn.run(build_app(args.fault, args.token, args.fixtures), host=HOST, port=args.port, log_level="warning",
                access_log=False)


class FaultServer:
    """`with FaultServer("money_as_floats", token) as server:` serves a fresh sandbox behind the fault."""

    def __init__(self, fault: str, valid_token: str) -> None:
        self.fault, self.valid_token = fault, valid_token
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"

    def __enter__(self) -> "FaultServer":
        self.log = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "conformance.faults.serve", "--fault", self.fault, "--port", str(self.port),
                   "--token", self.valid_token]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        try:
            wait_for_health(self.base_url, self.process)
        except RuntimeError as error:
            stop(self.process)
            self.log.seek(0)
            raise RuntimeError(f"{error}\n{self.log.read()[-2000:].decode(errors='replace')}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self.process)
        self.log.close()


if __name__ == "__main__":
    main()
