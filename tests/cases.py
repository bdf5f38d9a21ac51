"""One row per operation: arguments, the request they must make, an answer, and the model's text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.contract import response_example

METRIC_SERIES = {
    "sent": [10, 12, 8],
    "delivered": [10, 11, 8],
    "opened": [5, 6, 2],
    "clicked": [1, 2, 0],
    "converted": [0, 1, 0],
    "bounced": [0, 1, 0],
    "unsubscribed": [0, 0, 1],
    "human_opened": [4, 5, 2],
    "failed": [0, 0, 0],
}


@dataclass(frozen=True)
class Case:
    tool: str
    arguments: dict[str, Any]
    method: str
    path: str  # as sent, percent-encoding included
    response: Any
    text: str  # exactly what the model sees
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    validate_response: bool = True  # the document's own examples break its own schema


CASES = [
    Case(
        tool="customerio_search_customers",
        arguments={
            "filter": {
                "and": [
                    {"attribute": {"field": "email", "operator": "eq", "value": "a@b.com"}},
                    {"not": {"attribute": {"field": "source", "operator": "exists"}}},
                    {"or": [{"segment": {"id": 4}}, {"segment": {"id": 5}}]},
                ]
            },
            "limit": 2,
        },
        method="POST",
        path="/v1/customers",
        query={"limit": "2"},
        body={
            "filter": {
                "and": [
                    {"attribute": {"field": "email", "operator": "eq", "value": "a@b.com"}},
                    {"not": {"attribute": {"field": "source", "operator": "exists"}}},
                    {"or": [{"segment": {"id": 4}}, {"segment": {"id": 5}}]},
                ]
            }
        },
        # The document's example: integer ids where its schema says strings.
        response=response_example("getPeopleFilter"),
        validate_response=False,
        text='{"on_this_page":2,"more":true,"next":"MDox","ids":["1","2"]}',
    ),
    Case(
        tool="customerio_list_campaigns",
        arguments={},
        method="GET",
        path="/v1/campaigns",
        response={
            "campaigns": [
                {
                    "id": 5,
                    "deduplicate_id": "5:1552341937",
                    "name": "Onboarding",
                    "description": "",
                    "type": "segment",
                    "created": 1552341937,
                    "updated": 1552341937,
                    "active": True,
                    "state": "running",
                    "actions": [{"type": "email", "id": 259}],
                    "first_started": 1552341937,
                    "tags": ["new"],
                    "trigger_segment_ids": [90],
                    "filter_segment_ids": [21, 42],
                    "msg_templates": [{"type": "email", "id": 1}],
                    "a_field_added_next_year": {"x": 1},
                }
            ]
        },
        text=(
            '{"count":1,"columns":["id","name","state","trigger","channels","tags","started",'
            '"description"],"campaigns":[[5,"Onboarding","running","segment 90","email",["new"],'
            '"2019-03-11",""]]}'
        ),
    ),
    Case(
        tool="customerio_get_campaign_metrics",
        arguments={
            "campaign_id": 42,
            "start": "2026-01-01",
            "end": "2026-01-04",
            "res": "daily",
            "tz": "Europe/Paris",
            "type": "email",
        },
        method="GET",
        path="/v1/campaigns/42/metrics",
        query={
            "version": "2",
            "start": "1767222000",  # midnight in Paris: dates are read in the window's zone
            "end": "1767481200",
            "res": "days",
            "tz": "Europe/Paris",
            "type": "email",
        },
        response={"metric": {"series": METRIC_SERIES}},
        text=(
            '{"campaign_id":42,"window":{"start":"2026-01-01T00:00:00+01:00",'
            '"end":"2026-01-04T00:00:00+01:00","tz":"Europe/Paris","res":"days","periods":3},'
            '"totals":{"sent":30,"delivered":29,"opened":13,"clicked":3,"converted":1,'
            '"bounced":1,"unsubscribed":1,"human_opened":11},"rates":{"delivery_rate":0.9667,'
            '"open_rate":0.4483,"click_rate":0.1034,"conversion_rate":0.0345}}'
        ),
    ),
    Case(
        tool="customerio_get_person_attributes",
        arguments={"customer_id": "jo+vip@example.com", "id_type": "email"},
        method="GET",
        path="/v1/customers/jo%2Bvip%40example.com/attributes",
        query={"id_type": "email"},
        response=response_example("getPersonAttributes"),
        # Identifiers once, topics from the computed preferences, devices without tokens.
        text=(
            '{"id":"1","unsubscribed":false,"subscribed_topics":[],"attributes":'
            '{"_last_emailed":"2018-06-13T23:29:13Z","created_at":"2017-03-08T23:09:55Z",'
            '"email":"test@example.com","title":"tester","department":"qa","cio_id":"03000001"},'
            '"devices":['
            '{"platform":"android","last_used":"2018-01-01"},'
            '{"platform":"ios","last_used":"2018-01-01"}]}'
        ),
    ),
    Case(
        tool="customerio_list_transactional_messages",
        arguments={},
        method="GET",
        path="/v1/transactional",
        response={
            "messages": [
                {
                    "id": 2,
                    "name": "password reset",
                    "description": "sends a temporary password",
                    "send_to_unsubscribed": True,
                    "link_tracking": True,
                    "open_tracking": True,
                    "hide_message_body": False,
                    "queue_drafts": False,
                    "created_at": 1552341937,
                    "updated_at": 1552341937,
                }
            ]
        },
        text=(
            '{"count":1,"messages":[{"id":2,"name":"password reset","description":'
            '"sends a temporary password","send_to_unsubscribed":true,"link_tracking":true,'
            '"open_tracking":true,"hide_message_body":false,"queue_drafts":false,'
            '"created_at":"2019-03-11T22:05:37Z","updated_at":"2019-03-11T22:05:37Z"}]}'
        ),
    ),
    Case(
        tool="customerio_trigger_broadcast",
        arguments={
            "broadcast_id": 7,
            "data": {"headline": "Spring sale"},
            "emails": ["a@example.com", "b@example.com"],
            "email_ignore_missing": True,
        },
        method="POST",
        path="/v1/campaigns/7/triggers",
        body={
            "data": {"headline": "Spring sale"},
            "emails": ["a@example.com", "b@example.com"],
            "email_ignore_missing": True,
        },
        response={"id": 3},
        text='{"id":3}',
    ),
    Case(
        tool="customerio_list_segments",
        arguments={},
        method="GET",
        path="/v1/segments",
        response={
            "segments": [
                {
                    "id": 7,
                    "deduplicate_id": "7:1552341937",
                    "name": "Manual Segment 1",
                    "description": "My first manual segment",
                    "state": "finished",
                    "progress": None,
                    "type": "manual",
                    "tags": None,
                    "created_at": 1552341937,
                    "updated_at": 1552341937,
                }
            ]
        },
        text=(
            '{"count":1,"segments":[{"id":7,"name":"Manual Segment 1","description":'
            '"My first manual segment","state":"finished","type":"manual",'
            '"created_at":"2019-03-11T22:05:37Z","updated_at":"2019-03-11T22:05:37Z"}]}'
        ),
    ),
    Case(
        tool="customerio_send_transactional_email",
        arguments={
            "transactional_message_id": 44,
            "to": "cool.person@example.com",
            "message_data": {"password_reset_token": "abc"},
            "from": "support@example.com",
        },
        method="POST",
        path="/v1/send/email",
        body={
            "transactional_message_id": 44,
            "to": "cool.person@example.com",
            "identifiers": {"email": "cool.person@example.com"},
            "message_data": {"password_reset_token": "abc"},
            "from": "support@example.com",
        },  # a template send leaves send_to_unsubscribed to the template's own setting
        response={"delivery_id": "ABCDEFG", "queued_at": 1500111111},
        text='{"delivery_id":"ABCDEFG","queued_at":"2017-07-15T09:31:51Z"}',
    ),
]

BY_TOOL = {case.tool: case for case in CASES}


# Arguments that succeed on the sandbox workspace, one call per operation, in registry order.
ADA = "ada.lovelace@example.com"
SEND = {
    "transactional_message_id": 2,
    "to": ADA,
    "message_data": {"order_id": "A-1", "total": "9.50"},
}
EVERY_TOOL_ONCE: list[tuple[str, dict[str, Any]]] = [
    ("customerio_search_customers", {"filter": {"segment": {"id": 9}}, "limit": 3}),
    ("customerio_list_campaigns", {}),
    ("customerio_get_campaign_metrics", {"campaign_id": 1, "res": "weeks", "series": True}),
    ("customerio_get_person_attributes", {"customer_id": ADA, "id_type": "email"}),
    ("customerio_list_transactional_messages", {}),
    ("customerio_trigger_broadcast", {"broadcast_id": 103, "data": {"feature": "Dashboards"}}),
    ("customerio_list_segments", {}),
    ("customerio_send_transactional_email", SEND),
]
