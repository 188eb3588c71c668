"""The unit tests run with the network blocked (pytest-socket).

pyproject.toml passes ``--disable-socket``, so in every test function a
socket, or a host name look-up, raises ``SocketBlockedError`` instead of
reaching the network. Tests that need 127.0.0.1 (the browser tests) opt out
with ``@pytest.mark.enable_socket``.
"""

import socket

import pytest
from pytest_socket import SocketBlockedError

pytestmark = pytest.mark.filterwarnings(
    "ignore:A test tried to use socket:UserWarning")


def test_pytest_socket_is_active(pytestconfig):
    assert pytestconfig.getoption("--disable-socket"), (
        "run the tests with --disable-socket (pyproject.toml's addopts, or "
        "[tool.mutmut] pytest_add_cli_args) so that none can use the network"
    )


def test_a_connection_to_a_host_name_is_blocked():
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("example.com", 80), timeout=1)


def test_a_connection_to_an_ip_address_is_blocked():
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1


def test_no_socket_can_be_opened():
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_host_names_are_not_looked_up():
    with pytest.raises(SocketBlockedError):
        socket.getaddrinfo("pypi.org", 443)
