import warnings

import pytest

from mock_server.webhooks.hosts import LOOPBACK_HOSTS
from tests.support import loopback_guard

warnings.simplefilter("ignore", DeprecationWarning)


@pytest.fixture(scope="session", autouse=True)
def loopback_only():
    """No test looks up or connects to a host other than loopback (tests/support/loopback_guard)."""
    loopback_guard.install()
    yield
    loopback_guard.uninstall()


@pytest.fixture(autouse=True)
def no_traffic_off_loopback(loopback_only):
    loopback_guard.taken()
    yield
    attempts = loopback_guard.taken()
    assert attempts == [], f"traffic off loopback during the test: {attempts[:5]}"


@pytest.fixture
def sandbox_app():
    from mock_server.app import create_app
    return create_app(webhook_hosts=LOOPBACK_HOSTS, validate_responses="strict")


@pytest.fixture
def client(sandbox_app):
    from tests.support.contract_client import ContractClient
    with ContractClient(sandbox_app, base_url="http://127.0.0.1:8080",
                        raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def receiver_factory():
    """Real HTTP webhook receivers on 127.0.0.1, each answering per its script; closed after the test."""
    from tests.support.webhook_receiver import Receiver
    receivers = []

    def make(script: list) -> Receiver:
        receivers.append(Receiver(script))
        return receivers[-1]

    yield make
    for receiver in receivers:
        receiver.close()
