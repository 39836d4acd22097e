"""The fetch guard judges an IPv6 address that wraps an IPv4 one (mapped, compatible,
translated, NAT64, 6to4, Teredo) by the IPv4 address, where its traffic ends.

Every check here is made before any connection: nothing leaves this machine.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triangulate.ingest.fetch import Policy, fetch, wrapped_ipv4

POLICY = Policy()


@pytest.mark.parametrize(("address", "inner", "kind"), [
    ("2002:7f00:1::1", "127.0.0.1", "loopback"),  # 6to4 around loopback
    ("2002:a9fe:a9fe::1", "169.254.169.254", "link-local"),  # 6to4 around cloud metadata
    ("2002:0a00:0001::", "10.0.0.1", "private"),
    ("64:ff9b::7f00:1", "127.0.0.1", "loopback"),  # NAT64 well-known prefix
    ("64:ff9b::c0a8:101", "192.168.1.1", "private"),
    ("::ffff:127.0.0.1", "127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:0:a9fe:a9fe", "169.254.169.254", "link-local"),  # IPv4-translated
    ("::10.1.2.3", "10.1.2.3", "private"),  # IPv4-compatible (deprecated)
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1", "private"),  # Teredo client
])
def test_an_ipv6_address_wrapping_a_private_ipv4_one_is_refused_naming_both(
        address, inner, kind):
    why = POLICY.refusal(ipaddress.ip_address(address))
    assert why is not None
    assert inner in why and f"is a {kind} address" in why


@pytest.mark.parametrize("address", [
    "2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2606:4700:4700::1111",
])
def test_an_ipv6_address_wrapping_a_public_ipv4_one_or_none_may_be_fetched(address):
    assert POLICY.refusal(ipaddress.ip_address(address)) is None


def test_loopback_and_unspecified_ipv6_are_refused_as_themselves():
    assert POLICY.refusal(ipaddress.ip_address("::1")) == "::1 is a loopback address"
    assert POLICY.refusal(ipaddress.ip_address("::")) == ":: is an unspecified address"


def test_an_allowed_ipv4_network_also_allows_its_wrapped_forms():
    policy = Policy(allow_networks=(ipaddress.ip_network("10.0.0.0/8"),))
    assert policy.refusal(ipaddress.ip_address("2002:a00:1::1")) is None
    assert policy.refusal(ipaddress.ip_address("2002:c0a8:101::1")) is not None


ipv4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)


@given(ipv4, st.integers(0, 2**80 - 1))
def test_the_table_finds_the_ipv4_address_python_finds_in_6to4_and_teredo(v4, rest):
    six_to_four = ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | (rest & (2**80 - 1)))
    assert wrapped_ipv4(six_to_four) == (six_to_four.sixtofour, "6to4")
    teredo = ipaddress.IPv6Address((0x20010000 << 96) | ((rest & (2**64 - 1)) << 32)
                                   | (int(v4) ^ 0xFFFFFFFF))
    assert wrapped_ipv4(teredo) == (teredo.teredo[1], "Teredo") and teredo.teredo[1] == v4


@given(ipv4)
def test_every_wrapped_form_of_an_ipv4_address_is_judged_as_that_address(v4):
    plain = POLICY.refusal(v4) is None
    for prefix, shift in (("::ffff:0:0", 0), ("64:ff9b::", 0), ("2002::", 80),
                          ("::ffff:0:0:0", 0)):
        wrapped = ipaddress.IPv6Address(int(ipaddress.IPv6Address(prefix)) | (int(v4) << shift))
        assert (POLICY.refusal(wrapped) is None) == plain, wrapped


def test_a_url_naming_a_6to4_loopback_address_is_refused_before_connecting():
    result = fetch("http://[2002:7f00:1::1]:9/article", POLICY)
    assert result.reason == "refused" and "127.0.0.1" in result.detail
