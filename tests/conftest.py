import warnings

import pytest

warnings.simplefilter("ignore", DeprecationWarning)


@pytest.fixture
def sandbox_app():
    from mock_server.app import create_app
    return create_app()


@pytest.fixture
def client(sandbox_app):
    from tests.support.contract_client import ContractClient
    with ContractClient(sandbox_app, base_url="http://127.0.0.1:8080",
                        raise_server_exceptions=False) as test_client:
        yield test_client
