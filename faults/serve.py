"""Serve the sandbox behind faults, one fresh sandbox per fault, all in one process (one start for many):
`python -m faults.serve --token T --serve NAME=PORT [--serve NAME=PORT ...]` (`none`: the clean sandbox)."""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

from conformance.sandbox import HOST, LOOPBACK_HOSTS, free_port, stop, wait_for_health


SERVER_WAIT_S_PER_APP = 3.0


def build_app(fault: str, valid_token: str, fixtures: str | None, public_url: str | None = None):
    from mock_server.app import create_app   # the only door into the sandbox: its ASGI app factory
    from faults.catalog import transform_for
    from faults.proxy import FaultMiddleware
    app = create_app(fixtures_path=fixtures, webhook_hosts=LOOPBACK_HOSTS.split(","),
                     **({"public_url": public_url} if public_url else {}))
    return FaultMiddleware(app, transform_for(fault, valid_token))


async def serve(apps: dict[int, object]) -> None:
    """Every app on its own port; one SIGTERM or SIGINT stops them all at once."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):      # the signals are this process's, handled below for every server
            yield

    servers = [Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", access_log=False))
               for port, app in apps.items()]
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: [setattr(server, "should_exit", True) for server in servers])
    await asyncio.gather(*(server.serve() for server in servers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="append", required=True, metavar="NAME=PORT")
    parser.add_argument("--token", required=True, help="the valid token, for the faults that need it")
    parser.add_argument("--fixtures", default=None, help="fixture file (default: the sandbox's own)")
    args = parser.parse_args(argv)
    wanted = dict(item.rsplit("=", 1) for item in args.serve)
    asyncio.run(serve({int(port): build_app(name, args.token, args.fixtures, f"http://{HOST}:{port}")
                       for name, port in wanted.items()}))


class FaultServers:
    """`with FaultServers(["none", "money_as_floats"], token) as servers:` serves a fresh sandbox behind each
    fault on a port of its own, from one process; `servers.base_url[name]`."""

    def __init__(self, names: list[str], valid_token: str) -> None:
        self.valid_token = valid_token
        self.base_url = {name: f"http://{HOST}:{free_port()}" for name in dict.fromkeys(names)}
        self.process = None

    def __enter__(self) -> "FaultServers":
        import subprocess
        import tempfile
        self.log = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "faults.serve", "--token", self.valid_token]
        for name, url in self.base_url.items():
            command += ["--serve", f"{name}={url.rsplit(':', 1)[1]}"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            # one process builds an app per fault before it binds: the wait grows with their number
            wait_s = SERVER_WAIT_S_PER_APP * len(self.base_url)
            for url in self.base_url.values():
                wait_for_health(url, self.process, max(wait_s, 45.0))
        except RuntimeError as error:
            self.__exit__()
            self.log.seek(0)
            raise RuntimeError(f"{error}\n{self.log.read()[-2000:].decode(errors='replace')}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


if __name__ == "__main__":
    main()
