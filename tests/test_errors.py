"""Error bodies, the status table, messages written for the model, and retry rules."""

from __future__ import annotations

import httpx
import pytest
import respx

from cio_toolkit import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    CustomerIOError,
    CustomerIOToolkit,
    DeliveryUnknownError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    UnprocessableError,
)
from cio_toolkit.errors import parse_error_detail
from cio_toolkit.retry import RetryPolicy, RetryState
from tests.conftest import API_KEY, Call

SEND = "customerio_send_transactional_email"
SEND_ARGS = {"transactional_message_id": 1, "to": "a@example.com"}
TRIGGER = "customerio_trigger_broadcast"
METRICS = "customerio_get_campaign_metrics"


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            b'{"meta": {"error": "Attachment must be base64 encoded: \\"x.xyz\\""}}',
            'Attachment must be base64 encoded: "x.xyz"',
        ),
        (b'{"meta": {"errors": ["first", "second"]}}', "first; second"),
        (
            b'{"errors": [{"detail": "broadcast with id 1 does not exist", "status": "404"}]}',
            "broadcast with id 1 does not exist",
        ),
        (
            b'{"errors": [{"detail": "bad data", "status": 422, "source": {"pointer": "/data"}}]}',
            "bad data",
        ),
        (b"", None),
        (b"   ", None),
        (b"<html><body>502 Bad Gateway</body></html>", None),
        (b"plain words", "plain words"),
        (b'{"unexpected": true}', None),
        (b"x" * 1000, "x" * 299 + "…"),
    ],
)
def test_error_body_families(body: bytes, detail: str | None) -> None:
    assert parse_error_detail(body) == detail


@pytest.mark.parametrize(
    ("status", "error", "text"),
    [
        (400, BadRequestError, "Customer.io answered HTTP 400 to customerio_get_campaign_metrics"),
        (401, AuthenticationError, "CUSTOMERIO_APP_API_KEY"),
        (403, PermissionDeniedError, "permission"),
        (404, NotFoundError, "Customer.io has no campaign 42; list campaigns to find valid ids."),
        (413, PayloadTooLargeError, "smaller"),
        (422, UnprocessableError, "detail"),
        (418, CustomerIOError, "HTTP 418"),
    ],
)
async def test_status_table(
    status: int,
    error: type[Exception],
    text: str,
    call: Call,
    toolkit: CustomerIOToolkit,
    api: respx.MockRouter,
) -> None:
    route = api.get("/v1/campaigns/42/metrics").respond(status)
    with pytest.raises(error) as raised:
        await call(toolkit, METRICS, {"campaign_id": 42})
    assert text in str(raised.value)
    assert route.call_count == 1  # client errors are final


async def test_misconfiguration_is_a_configuration_error(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    api.get("/v1/segments").respond(401)
    with pytest.raises(ConfigurationError):
        toolkit.call("customerio_list_segments")
    with pytest.raises(ConfigurationError, match="CUSTOMERIO_APP_API_KEY"):
        CustomerIOToolkit(api_key="")


async def test_server_detail_is_quoted_and_the_key_never_is(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    api.post("/v1/campaigns/9/triggers").respond(
        404, json={"errors": [{"detail": "broadcast with id 9 does not exist", "status": "404"}]}
    )
    with pytest.raises(NotFoundError) as raised:
        toolkit.call(TRIGGER, {"broadcast_id": 9, "data": {"secret": "personal-data"}})
    message = str(raised.value)
    assert "Customer.io has no broadcast 9" in message
    assert "broadcast with id 9 does not exist" in message
    assert API_KEY not in message and "personal-data" not in message


async def test_429_is_retried_honouring_retry_after(
    call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.get("/v1/segments").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "0"}),
            httpx.Response(429),  # documented: no body, no headers -> backoff with jitter
            httpx.Response(200, json={"segments": []}),
        ]
    )
    assert await call(toolkit, "customerio_list_segments", {}) == '{"count":0,"segments":[]}'
    assert route.call_count == 3


async def test_429_gives_up_after_bounded_attempts(
    call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.get("/v1/segments").respond(429)
    with pytest.raises(RateLimitError, match="rate limit"):
        await call(toolkit, "customerio_list_segments", {})
    assert route.call_count == 4


async def test_a_rate_limited_send_is_retried_because_it_was_refused(
    call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.post("/v1/send/email").mock(
        side_effect=[httpx.Response(429), httpx.Response(200, json={"delivery_id": "d1"})]
    )
    assert await call(toolkit, SEND, SEND_ARGS) == '{"delivery_id":"d1"}'
    assert route.call_count == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500),
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(504),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("closed"),
        httpx.ReadError("reset"),
        httpx.WriteTimeout("stalled"),
    ],
)
@pytest.mark.parametrize(
    ("tool", "path", "arguments"),
    [
        (SEND, "/v1/send/email", SEND_ARGS),
        (TRIGGER, "/v1/campaigns/3/triggers", {"broadcast_id": 3}),
    ],
)
async def test_a_write_that_may_have_arrived_is_sent_exactly_once(
    failure: object,
    tool: str,
    path: str,
    arguments: dict[str, object],
    call: Call,
    toolkit: CustomerIOToolkit,
    api: respx.MockRouter,
) -> None:
    route = api.post(path).mock(side_effect=[failure, httpx.Response(200, json={"id": 1})])
    with pytest.raises(DeliveryUnknownError, match="not resent"):
        await call(toolkit, tool, arguments)
    assert route.call_count == 1


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
async def test_a_write_that_never_left_is_retried(
    failure: Exception, call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.post("/v1/send/email").mock(
        side_effect=[failure, httpx.Response(200, json={"delivery_id": "d2"})]
    )
    assert await call(toolkit, SEND, SEND_ARGS) == '{"delivery_id":"d2"}'
    assert route.call_count == 2


async def test_a_write_answered_unreadably_is_not_resent(
    toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.post("/v1/send/email").respond(200, text="<html>oops</html>")
    with pytest.raises(DeliveryUnknownError, match="do not send it again"):
        toolkit.call(SEND, SEND_ARGS)
    assert route.call_count == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500),
        httpx.Response(503, text="<html>down</html>"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("closed"),
    ],
)
async def test_reads_retry_server_and_network_failures(
    failure: object, call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    route = api.post("/v1/customers").mock(
        side_effect=[failure, failure, httpx.Response(200, json={"identifiers": []})]
    )
    text = await call(toolkit, "customerio_search_customers", {"filter": {"segment": {"id": 1}}})
    assert text == '{"count":0,"ids":[]}'
    assert route.call_count == 3


async def test_reads_give_up_with_a_clear_error(
    call: Call, toolkit: CustomerIOToolkit, api: respx.MockRouter
) -> None:
    api.get("/v1/campaigns").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(TransportError, match=r"Could not reach Customer\.io"):
        await call(toolkit, "customerio_list_campaigns", {})
    api.get("/v1/segments").respond(503)
    with pytest.raises(ServerError, match="try again later"):
        await call(toolkit, "customerio_list_segments", {})


def test_retry_after_and_total_time_bound() -> None:
    state = RetryState(RetryPolicy(max_attempts=5, max_total_seconds=10), is_write=False)
    assert state.delay_after_response(httpx.Response(429, headers={"Retry-After": "2"})) == 2
    # A wait that would break the time budget ends the call instead.
    assert state.delay_after_response(httpx.Response(429, headers={"Retry-After": "30"})) is None
    assert state.delay_after_response(httpx.Response(200)) is None


def test_backoff_is_jittered_and_capped() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=4)
    delays = {policy.backoff(attempt) for attempt in (1, 2, 3, 8, 8, 8)}
    assert len(delays) > 1 and all(0 <= d <= 4 for d in delays)
