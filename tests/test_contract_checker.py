"""The contract checker itself must reject what the document does not allow."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.contract import SPEC_DIR, check_request

AUTH = {"Authorization": "Bearer k"}


@pytest.mark.parametrize(
    ("tool", "request_"),
    [
        (
            "customerio_get_campaign_metrics",  # version is required
            httpx.Request("GET", "https://x/v1/campaigns/1/metrics?res=days", headers=AUTH),
        ),
        (
            "customerio_get_campaign_metrics",  # res out of its enum
            httpx.Request(
                "GET", "https://x/v1/campaigns/1/metrics?version=2&res=yearly", headers=AUTH
            ),
        ),
        (
            "customerio_list_segments",  # undeclared query parameter
            httpx.Request("GET", "https://x/v1/segments?limit=5", headers=AUTH),
        ),
        (
            "customerio_list_segments",  # wrong method
            httpx.Request("POST", "https://x/v1/segments", json={}, headers=AUTH),
        ),
        (
            "customerio_send_transactional_email",  # undocumented body key
            httpx.Request(
                "POST",
                "https://x/v1/send/email",
                json={"to": "a@b.co", "recipient": "a@b.co"},
                headers=AUTH,
            ),
        ),
        (
            "customerio_send_transactional_email",  # lacks required `to`
            httpx.Request("POST", "https://x/v1/send/email", json={"subject": "x"}, headers=AUTH),
        ),
        (
            "customerio_search_customers",  # operator out of its enum
            httpx.Request(
                "POST",
                "https://x/v1/customers",
                headers=AUTH,
                json={"filter": {"attribute": {"field": "a", "operator": "gt", "value": "1"}}},
            ),
        ),
        (
            "customerio_trigger_broadcast",  # ids must be strings
            httpx.Request(
                "POST", "https://x/v1/campaigns/1/triggers", json={"ids": [1]}, headers=AUTH
            ),
        ),
        (
            "customerio_list_campaigns",  # no bearer auth
            httpx.Request("GET", "https://x/v1/campaigns"),
        ),
    ],
)
def test_checker_rejects(tool: str, request_: httpx.Request) -> None:
    with pytest.raises(Exception):  # noqa: B017 - AssertionError or a jsonschema ValidationError
        check_request(tool, request_)


def test_the_vendored_documents_match_the_shared_ones() -> None:
    """tests/openapi is a copy (a clean clone has no ../shared); it must not drift."""
    shared = Path(__file__).parent.parent.parent / "shared" / "openapi"
    if not shared.is_dir():
        pytest.skip("no ../shared/openapi beside this checkout")
    for original in shared.glob("*.json"):
        assert (SPEC_DIR / original.name).read_bytes() == original.read_bytes(), original.name
