"""One row per operation: arguments, the request they must make, an answer, and the model's text."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import time_machine

from cio_toolkit.operations import REGISTRY, select_operations
from tests.contract import response_example, spec

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
class FollowUp:
    """A further GET an operation makes (`Operation.then`), and the answer it gets."""

    path: str  # as sent, percent-encoding included
    response: Any
    query: dict[str, str] = field(default_factory=dict)


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
    then: tuple[FollowUp, ...] = ()
    # The clock's reading for the call, where the answer states a window ending now.
    frozen_at: int | None = None

    def clock(self) -> AbstractContextManager[Any]:
        """The clock as the case needs it: frozen at `frozen_at`, or left alone."""
        if self.frozen_at is None:
            return nullcontext()
        return time_machine.travel(self.frozen_at, tick=False)

    def calls(self) -> list[tuple[str, str, Any, dict[str, str]]]:
        """Every request the tool makes, in order: (method, path, answer, query)."""
        first = (self.method, self.path, self.response, self.query)
        return [first, *(("GET", f.path, f.response, f.query) for f in self.then)]


def named_example(operation_id: str, name: str) -> Any:
    """One of the document's named 200 examples."""
    content = spec(operation_id)["operation"]["responses"]["200"]["content"]
    return content["application/json"]["examples"][name]["value"]


# 2026-01-15T12:00:00Z, 07:00 in New York: where broadcast and newsletter metrics windows end.
FROZEN = 1768478400


# The workspace's campaigns, as the list and the comparison both read them: one of each kind.
CAMPAIGNS_ANSWER: dict[str, Any] = {
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
        },
        {
            "id": 6,
            "name": "CRM sync",
            "state": "running",
            "webhook_id": 3,
            "actions": [{"type": "webhook", "id": 2}],
        },
        {"id": 7, "name": "Old", "state": "stopped"},
    ]
}

# The workspace's segments, one of them still being built.
SEGMENTS_ANSWER: dict[str, Any] = {
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
        },
        {"id": 8, "name": "Pro plan", "state": "build", "progress": 40, "type": "dynamic"},
    ]
}


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
        # Shared with the comparison, which lists the campaigns the same way.
        response=CAMPAIGNS_ANSWER,
        text=(
            '{"count":3,"columns":["id","name","state","trigger","filters","channels","tags",'
            '"started","updated","description"],"campaigns":[[5,"Onboarding","running",'
            '"segment 90",[21,42],"email",["new"],"2019-03-11","2019-03-11",""],[6,"CRM sync",'
            '"running","webhook 3",[],"webhook",[],"","",""],[7,"Old","stopped","",[],"",[],"",'
            '"",""]]}'
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
            '"bounced":1,"unsubscribed":1,"failed":0,"spammed":0,"human_opened":11},"rates":{"delivery_rate":0.9667,'
            '"open_rate":0.4483,"click_rate":0.1034,"conversion_rate":0.0345,"human_open_rate":0.3793}}'
        ),
    ),
    Case(
        tool="customerio_compare_campaign_metrics",
        # Two campaigns (one a webhook) and an id with none: the list, then one call each.
        arguments={
            "campaign_ids": [5, 6, 99],
            "start": "2026-01-01",
            "end": "2026-01-04",
            "sort_by": "delivery_rate",
        },
        method="GET",
        path="/v1/campaigns",
        response=CAMPAIGNS_ANSWER,
        then=(
            FollowUp(
                path="/v1/campaigns/5/metrics",
                query={
                    "version": "2",
                    "start": "1767225600",
                    "end": "1767484800",
                    "res": "days",
                    "tz": "UTC",
                },
                response={"metric": {"series": METRIC_SERIES}},
            ),
            FollowUp(
                path="/v1/campaigns/6/metrics",
                query={
                    "version": "2",
                    "start": "1767225600",
                    "end": "1767484800",
                    "res": "days",
                    "tz": "UTC",
                },
                response={
                    "metric": {
                        "series": {
                            "attempted": [10, 10, 10],
                            "sent": [10, 10, 10],
                            "2xx": [10, 8, 10],
                            "5xx": [0, 2, 0],
                            "failed": [0, 2, 0],
                        }
                    }
                },
            ),
        ),
        text=(
            '{"count":2,"columns":["id","name","channels","sent","delivered","opened","clicked",'
            '"converted","bounced","unsubscribed","delivery_rate","open_rate","click_rate",'
            '"conversion_rate"],"window":{"start":"2026-01-01T00:00:00+00:00","end":'
            '"2026-01-04T00:00:00+00:00","tz":"UTC","res":"days","periods":3},"sort_by":'
            '"delivery_rate","missing":[99],"campaigns":[[5,"Onboarding","email",30,29,13,3,1,1,1,'
            '0.9667,0.4483,0.1034,0.0345],[6,"CRM sync","webhook",30,0,0,0,0,0,0,0.9333,0.0,'
            "0.0,0.0]]}"
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
        # A trigger is queued, not done: the answer names the call that says how it went.
        text=(
            '{"id":3,"check":{"tool":"customerio_get_broadcast_trigger","arguments":'
            '{"broadcast_id":7,"trigger_id":3}},"skipped":"Emails that match nobody are skipped, '
            "with no record of which: customerio_get_people_attributes (id_type email) lists "
            'them as missing."}'
        ),
    ),
    Case(
        tool="customerio_list_segments",
        arguments={},
        method="GET",
        path="/v1/segments",
        # Shared with a segment's size, which reads the build states from it.
        response=SEGMENTS_ANSWER,
        text=(
            '{"count":2,"segments":[{"id":7,"name":"Manual Segment 1","description":'
            '"My first manual segment","state":"finished","type":"manual",'
            '"created_at":"2019-03-11T22:05:37Z","updated_at":"2019-03-11T22:05:37Z"},{"id":8,'
            '"name":"Pro plan","state":"build","progress":40,"type":"dynamic"}]}'
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
        text=(
            '{"delivery_id":"ABCDEFG","queued_at":"2017-07-15T09:31:51Z","check":{"tool":'
            '"customerio_get_message","arguments":{"message_id":"ABCDEFG"}}}'
        ),
    ),
]

CASES += [
    Case(
        tool="customerio_get_person_messages",
        arguments={"customer_id": "jo+vip@example.com", "id_type": "email", "limit": 2,
                   "start_ts": "2026-01-01"},
        method="GET",
        path="/v1/customers/jo%2Bvip%40example.com/messages",
        query={"id_type": "email", "limit": "2", "start_ts": "1767225600"},
        response={
            "messages": [
                {"id": "dgOq6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=", "customer_id": "42",
                 "campaign_id": 5, "action_id": 96, "recipient": "jo+vip@example.com",
                 "subject": "Welcome aboard", "metrics": {"sent": 1767300000,
                 "delivered": 1767300060}, "created": 1767299990, "failure_message": None,
                 "newsletter_id": None, "content_id": None, "broadcast_id": None,
                 "type": "email", "forgotten": False},
                {"id": "RkFJTEVEX0RFTElWRVJZ", "customer_id": "42", "action_id": 12,
                 "recipient": "jo+vip@example.com", "subject": "Reset your password",
                 "metrics": {}, "created": 1767400000, "failure_message": "Liquid error",
                 "newsletter_id": None, "broadcast_id": None, "type": "email"},
            ],
            "next": "bmV4dA==",  # undeclared, but `start` says answers carry it (see _notes)
        },
        # Newest first; a row's state from its timestamps, "not sent" with only a failure.
        text=(
            '{"on_this_page":2,"more":true,"next":"bmV4dA==","columns":["id","created","type",'
            '"source","subject","recipient","state","failure"],"messages":[['
            '"RkFJTEVEX0RFTElWRVJZ","2026-01-03T00:26:40Z","email","transactional",'
            '"Reset your password","jo+vip@example.com","not sent","Liquid error"],['
            '"dgOq6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=","2026-01-01T20:39:50Z","email","campaign 5",'
            '"Welcome aboard","jo+vip@example.com","delivered",""]]}'
        ),
    ),
    Case(
        tool="customerio_get_person_segments",
        arguments={"customer_id": "42"},
        method="GET",
        path="/v1/customers/42/segments",
        query={"id_type": "id"},
        response={"segments": [
            {"id": 1, "name": "Paying customers", "description": "Anyone on a paid plan."},
            {"id": 9, "name": "VIP", "description": ""},
        ]},
        text=(
            '{"count":2,"segments":[{"id":1,"name":"Paying customers","description":'
            '"Anyone on a paid plan."},{"id":9,"name":"VIP"}]}'
        ),
    ),
    Case(
        tool="customerio_get_transactional_message",
        arguments={"transactional_id": 2},
        method="GET",
        path="/v1/transactional/2",
        response={"message": {
            "id": 2, "name": "password reset", "description": "a temporary link",
            "send_to_unsubscribed": True, "link_tracking": True, "open_tracking": True,
            "hide_message_body": False, "queue_drafts": False,
            "created_at": 1552341937, "updated_at": 1552341937,
        }},
        then=(FollowUp("/v1/transactional/2/contents", {"contents": [
            {"id": 96, "name": "password reset", "created": 1552341937, "updated": 1552341937,
             "body": '<p>Hi {{ customer.first_name | default: "there" }}</p><a href='
                     '"{{ trigger.reset_url }}">Reset</a>{% for tip in trigger.tips %}'
                     "{{ tip.text }}{% endfor %}",
             "language": "", "type": "email", "from": "sentFrom@example.com", "from_id": 1,
             "reply_to": "replyto@example.com", "reply_to_id": None, "preprocessor": "premailer",
             "recipient": "{{customer.email}}", "subject": "Reset your password", "cc": "",
             "bcc": "", "fake_bcc": False, "preheader_text": "", "body_amp": "",
             "headers": "[]"},
            {"id": 97, "name": "password reset", "body": "<a href=\"{{ trigger.reset_url }}\">"
             "{{ trigger.expires | default: '1h' }}</a>", "language": "fr", "type": "email",
             "from": "sentFrom@example.com", "subject": "Réinitialiser"},
        ]}),),
        # The keys the Liquid reads (loops' own variables aside), the optional ones (a default,
        # or only looped over), the attributes; never the HTML.
        text=(
            '{"id":2,"name":"password reset","description":"a temporary link",'
            '"send_to_unsubscribed":true,"queue_drafts":false,"message_data":["reset_url",'
            '"tips","expires"],"message_data_optional":["tips","expires (default \'1h\')"],'
            '"customer_attributes":["first_name"],"variants":[{"id":96,"language":"default","type":"email","subject":'
            '"Reset your password","from":"sentFrom@example.com","reply_to":"replyto@example.com",'
            '"message_data":["reset_url","tips"]},{"id":97,"language":"fr","type":"email",'
            '"subject":"Réinitialiser","from":"sentFrom@example.com","message_data":["reset_url",'
            '"expires"]}]}'
        ),
    ),
    Case(
        tool="customerio_list_broadcasts",
        arguments={"name": "BASIC"},
        method="GET",
        path="/v1/broadcasts",
        # The document's own item example (`tags: "nil"`, an undeclared `created_by`), and one
        # that the name filter leaves out.
        response={"broadcasts": [
            spec("listBroadcasts")["operation"]["responses"]["200"]["content"][
                "application/json"]["schema"]["properties"]["broadcasts"]["items"]["example"],
            {"id": 3, "name": "Flash sale", "state": "draft", "active": False},
        ]},
        validate_response=False,
        text=(
            '{"count":1,"columns":["id","name","state","channels","tags","started"],'
            '"broadcasts":[[2,"basic","running","email,webhook",[],"2018-03-08"]]}'
        ),
    ),
    Case(
        tool="customerio_list_broadcast_triggers",
        arguments={"broadcast_id": 2, "limit": 2},
        method="GET",
        path="/v1/broadcasts/2/triggers",
        # In no stated order, one not yet processed: the newest two, newest first.
        response={"triggers": [
            {"id": 11, "broadcast_id": 2, "created_at": 1764590400, "processed_at": 1764590410},
            {"id": 14, "broadcast_id": 2, "created_at": 1764763200},
            {"id": 12, "broadcast_id": 2, "created_at": 1764676800, "processed_at": 1764676830},
        ]},
        text=(
            '{"count":2,"columns":["id","created_at","state","processed_at"],"broadcast_id":2,'
            '"older":1,"triggers":[[14,"2025-12-03T12:00:00Z","queued",""],'
            '[12,"2025-12-02T12:00:00Z","processed","2025-12-02T12:00:30Z"]]}'
        ),
    ),
    Case(
        tool="customerio_list_deliveries",
        arguments={"metric": "bounced", "days": 7, "limit": 5},
        method="GET",
        path="/v1/messages",
        # The window is always sent, so the answer can state it.
        query={"metric": "bounced", "start_ts": str(FROZEN - 7 * 86400), "end_ts": str(FROZEN),
               "limit": "5"},
        response={"messages": [
            {"id": "d1", "recipient": "a@example.com", "subject": "Hi", "created": FROZEN - 7200,
             "metrics": {"sent": FROZEN - 7100, "bounced": FROZEN - 7000}, "campaign_id": 23,
             "failure_message": "550 no such user", "type": "email", "newsletter_id": None,
             "broadcast_id": None, "action_id": 215},
            {"id": "d2", "recipient": "b@example.com", "subject": "News", "created": FROZEN - 60,
             "metrics": {"sent": FROZEN - 50, "bounced": FROZEN - 40}, "newsletter_id": 7,
             "type": "email", "campaign_id": None, "broadcast_id": None},
        ], "next": "MQ=="},
        frozen_at=FROZEN,
        validate_response=False,  # `next` is undeclared, though `start` says answers carry it
        text=(
            '{"on_this_page":2,"more":true,"next":"MQ==","columns":["id","created","type",'
            '"source","subject","recipient","state","failure"],"listed":"the workspace",'
            '"created":{"start":"2026-01-08T12:00:00Z","end":"2026-01-15T12:00:00Z"},'
            '"metric":"bounced","deliveries":[["d2","2026-01-15T11:59:00Z","email",'
            '"newsletter 7","News","b@example.com","bounced",""],["d1","2026-01-15T10:00:00Z",'
            '"email","campaign 23","Hi","a@example.com","bounced","550 no such user"]]}'
        ),
    ),
    Case(
        tool="customerio_list_deliveries",
        # One template's: its own path, and the rows say which template (the API does not).
        arguments={"transactional_id": 3, "metric": "suppressed", "start_ts": "2026-01-01"},
        method="GET",
        path="/v1/transactional/3/messages",
        query={"metric": "dropped", "start_ts": "1767225600", "end_ts": str(FROZEN),
               "limit": "20"},
        response={"messages": [
            {"id": "t1", "recipient": "c@example.com", "subject": "Reset", "created": FROZEN - 10,
             "metrics": {"created": FROZEN - 10, "dropped": FROZEN - 9}, "type": "email",
             "failure_message": "unsubscribed", "campaign_id": None, "newsletter_id": None,
             "broadcast_id": None, "action_id": 9},
        ]},
        frozen_at=FROZEN,
        text=(
            '{"on_this_page":1,"more":false,"columns":["id","created","type","source","subject",'
            '"recipient","state","failure"],"listed":"transactional 3","created":{"start":'
            '"2026-01-01T00:00:00Z","end":"2026-01-15T12:00:00Z"},"metric":"dropped",'
            '"deliveries":[["t1","2026-01-15T11:59:50Z","email","transactional 3","Reset",'
            '"c@example.com","suppressed","unsubscribed"]]}'
        ),
    ),
    Case(
        tool="customerio_get_broadcast_metrics",
        arguments={"broadcast_id": 2, "days": 3, "type": "email"},
        method="GET",
        path="/v1/broadcasts/2/metrics",
        query={"period": "days", "steps": "3", "type": "email"},
        response={"metric": {"series": METRIC_SERIES}},
        frozen_at=FROZEN,
        # The last 3 days in US Eastern time, today's so far included.
        text=(
            '{"broadcast_id":2,"window":{"start":"2026-01-13T00:00:00-05:00",'
            '"end":"2026-01-15T07:00:00-05:00","tz":"America/New_York","period":"days",'
            '"periods":3},"totals":{"sent":30,"delivered":29,"opened":13,"clicked":3,'
            '"converted":1,"bounced":1,"unsubscribed":1,"failed":0,"spammed":0,"human_opened":11},"rates":'
            '{"delivery_rate":0.9667,"open_rate":0.4483,"click_rate":0.1034,'
            '"conversion_rate":0.0345,"human_open_rate":0.3793}}'
        ),
    ),
    Case(
        tool="customerio_get_broadcast_trigger",
        arguments={"broadcast_id": 2, "trigger_id": 3},
        method="GET",
        path="/v1/campaigns/2/triggers/3",
        response={"id": 3, "broadcast_id": 2, "created_at": 1552341937, "processed_at": 1552341990},
        then=(FollowUp(
            "/v1/campaigns/2/triggers/3/errors",
            {"errors": ["line 2: no person with email 'x@example.com'"], "next": 100},
            query={"limit": "100"},
        ),),
        text=(
            '{"trigger_id":3,"broadcast_id":2,"state":"processed","created_at":'
            '"2019-03-11T22:05:37Z","processed_at":"2019-03-11T22:06:30Z","errors_on_this_page":1,'
            '"more_errors":true,"next":"100","errors":["line 2: no person with email '
            "'x@example.com'\"],\"note\":\"Processed is not sent: a trigger whose audience named "
            'people who do not exist sent nothing, unless it was made with id_ignore_missing or '
            'email_ignore_missing. These lines name them."}'
        ),
    ),
    Case(
        tool="customerio_get_segment_size",
        arguments={"segment_id": 8},
        method="GET",
        path="/v1/segments/8/customer_count",
        response={"segment_id": 8, "count": 1234},
        # The list says it is still being built: the count is of those found so far.
        then=(FollowUp("/v1/segments", SEGMENTS_ANSWER),),
        text='{"segment_id":8,"name":"Pro plan","count":1234,"building":true,"progress":40}',
    ),
    Case(
        tool="customerio_list_newsletters",
        arguments={"limit": 2},
        method="GET",
        path="/v1/newsletters",
        query={"limit": "2", "sort": "desc"},
        response={"newsletters": [
            {"id": 130, "name": "Holiday hours", "type": "email", "created": 1484870424,
             "updated": 1484870424, "tags": [], "recipient_segment_ids": [42]},
            spec("listNewsletters")["operation"]["responses"]["200"]["content"][
                "application/json"]["schema"]["properties"]["newsletters"]["items"]["example"],
        ], "next": "MTA="},
        # Newest first; a newsletter not yet sent has an empty sent_at.
        text=(
            '{"on_this_page":2,"more":true,"next":"MTA=","columns":["id","name","channel",'
            '"sent_at","segments","tags"],"newsletters":[[130,"Holiday hours","email","",[42],'
            '[]],[128275,"Weekly Product Update","email","2016-12-13T18:32:09Z",[42,99],'
            '["Product Updates"]]]}'
        ),
    ),
    Case(
        tool="customerio_get_newsletter_metrics",
        arguments={"newsletter_id": 10, "start": "2025-12-01"},
        method="GET",
        path="/v1/newsletters/10/metrics",
        # 46 days back is more than the 45 daily periods the API gives: weeks, from Sunday.
        query={"period": "weeks", "steps": "7"},
        response={"metric": {"type": "email", "series": {
            "sent": [0, 0, 120, 0, 0, 0, 0], "delivered": [0, 0, 118, 0, 0, 0, 0],
            "opened": [0, 0, 40, 9, 2, 0, 0], "clicked": [0, 0, 8, 1, 0, 0, 0],
        }}},
        frozen_at=FROZEN,
        text=(
            '{"newsletter_id":10,"channel":"email","window":{"start":"2025-11-30T00:00:00-05:00",'
            '"end":"2026-01-15T07:00:00-05:00","tz":"America/New_York","period":"weeks",'
            '"periods":7},"totals":{"sent":120,"delivered":118,"opened":51,"clicked":9,'
            '"converted":0,"bounced":0,"unsubscribed":0,"failed":0,"spammed":0},"rates":{"delivery_rate":0.9833,'
            '"open_rate":0.4322,"click_rate":0.0763,"conversion_rate":0.0}}'
        ),
    ),
    Case(
        tool="customerio_get_transactional_metrics",
        arguments={"transactional_id": 3, "days": 2, "period": "days"},
        method="GET",
        path="/v1/transactional/3/metrics",
        query={"period": "days", "steps": "2"},
        response={"metric": {"series": {
            "sent": [40, 12], "delivered": [39, 12], "opened": [20, 4], "bounced": [1, 0],
            "spammed": [0, 0],
        }}},
        frozen_at=FROZEN,
        text=(
            '{"transactional_id":3,"window":{"start":"2026-01-14T00:00:00-05:00",'
            '"end":"2026-01-15T07:00:00-05:00","tz":"America/New_York","period":"days",'
            '"periods":2},"totals":{"sent":52,"delivered":51,"opened":24,"clicked":0,'
            '"converted":0,"bounced":1,"unsubscribed":0,"failed":0,"spammed":0},"rates":{"delivery_rate":0.9808,'
            '"open_rate":0.4706,"click_rate":0.0,"conversion_rate":0.0}}'
        ),
    ),
    Case(
        tool="customerio_get_link_metrics",
        arguments={"newsletter_id": 10, "days": 3, "limit": 2},
        method="GET",
        path="/v1/newsletters/10/metrics/links",
        query={"period": "days", "steps": "3"},
        # Series only, though the document promises totals: summed, the most clicked first.
        response={"links": [
            {"link": {"id": 1, "href": "https://a.example/pricing"},
             "metric": {"series": {"clicked": [1, 0, 2], "human_clicked": [1, 0, 1],
                                   "machine_clicked": [0, 0, 1]}}},
            {"link": {"id": 2, "href": "https://a.example/blog"},
             "metric": {"series": {"clicked": [5, 3, 0], "human_clicked": [4, 3, 0],
                                   "machine_clicked": [1, 0, 0]}}},
            {"link": {"id": 3, "href": "https://a.example/unsubscribe"},
             "metric": {"series": {"clicked": [0, 1, 0]}}},
        ]},
        frozen_at=FROZEN,
        text=(
            '{"count":2,"columns":["href","clicked","human_clicked","machine_clicked"],'
            '"measured":"newsletter 10","window":{"start":"2026-01-13T00:00:00-05:00",'
            '"end":"2026-01-15T07:00:00-05:00","tz":"America/New_York","period":"days",'
            '"periods":3},"unique":false,"fewer":1,"links":[["https://a.example/blog",8,7,1],'
            '["https://a.example/pricing",3,2,1]]}'
        ),
    ),
    Case(
        tool="customerio_get_link_metrics",
        arguments={"campaign_id": 4, "period": "weeks", "unique": True},
        method="GET",
        path="/v1/campaigns/4/metrics/links",
        query={"period": "weeks", "steps": "12", "unique": "true"},
        response={"links": []},
        frozen_at=FROZEN,
        text=(
            '{"count":0,"columns":["href","clicked","human_clicked","machine_clicked"],'
            '"measured":"campaign 4","window":{"start":"2025-10-26T00:00:00-04:00",'
            '"end":"2026-01-15T07:00:00-05:00","tz":"America/New_York","period":"weeks",'
            '"periods":12},"unique":true,"links":[]}'
        ),
    ),
    Case(
        tool="customerio_get_email_suppression",
        # A `+` percent-encoded, as the path needs it.
        arguments={"email_address": "bounced+1@example.com"},
        method="GET",
        path="/v1/esp/search_suppression/bounced%2B1%40example.com",
        response={"category": "bounces", "suppressions": [
            {"created": 1650895738, "email": "bounced+1@example.com",
             "reason": "550 5.1.1 no such user", "status": "550"},
        ]},
        text=(
            '{"email_address":"bounced+1@example.com","suppressed":true,"count":1,"columns":'
            '["email","category","created","reason","status"],"suppressions":[["bounced+1@'
            'example.com","bounces","2022-04-25T14:08:58Z","550 5.1.1 no such user","550"]]}'
        ),
    ),
    Case(
        tool="customerio_get_email_suppression",
        arguments={"suppression_type": "spam_reports", "limit": 1, "offset": 4,
                   "domain": "mail.example.com"},
        method="GET",
        path="/v1/esp/suppression/spam_reports",
        query={"limit": "1", "offset": "4", "domain": "mail.example.com"},
        response={"category": "spam", "suppressions": [
            {"created": 1650895738, "email": "x@example.com", "reason": "spam", "status": "550"},
        ]},
        # A full page: there may be more at the next offset.
        text=(
            '{"suppression_type":"spam_reports","count":1,"next_offset":5,"columns":["email",'
            '"category","created","reason","status"],"suppressions":[["x@example.com","spam",'
            '"2022-04-25T14:08:58Z","spam","550"]]}'
        ),
    ),
    Case(
        tool="customerio_get_person_activities",
        arguments={"customer_id": "ada@example.com", "id_type": "email",
                   "type": "attribute_change", "name": "unsubscribed", "limit": 5},
        method="GET",
        path="/v1/customers/ada%40example.com/activities",
        query={"id_type": "email", "type": "attribute_change", "name": "unsubscribed",
               "limit": "5"},
        response={"activities": [
            {"id": "01AK4N8V8G8KVA4HN8Y50CCZ59", "type": "attribute_change",
             "timestamp": 1397566226, "name": "unsubscribed", "customer_id": "42",
             "customer_identifiers": {"email": "ada@example.com", "id": "42", "cio_id": "a1"},
             "data": {"unsubscribed": {"from": "false", "to": "true"}}},
            {"id": "01AK4N8V8G8KVA4HN8Y50CCZ60", "type": "page", "timestamp": 1397566300,
             "url": "https://example.com/pricing"},
        ], "next": "Mg=="},
        validate_response=False,  # `next` is undeclared, though `start` says answers carry it
        text=(
            '{"on_this_page":2,"more":true,"next":"Mg==","columns":["at","type","name",'
            '"delivery_id","detail"],"activities":[["2014-04-15T12:51:40Z","page","","",'
            '"https://example.com/pricing"],["2014-04-15T12:50:26Z","attribute_change",'
            '"unsubscribed","","unsubscribed: false -> true"]]}'
        ),
    ),
    Case(
        tool="customerio_get_people_attributes",
        arguments={"ids": ["42", "43", "44"], "attributes": ["plan"]},
        method="POST",
        path="/v1/customers/attributes",
        query={"id_type": "id"},
        body={"ids": ["42", "43", "44"]},
        # Unknown ids are left out of the answer without a word: the text names them.
        response={"customers": [
            {"customer": {"id": "42", "identifiers": {"email": "a@example.com", "id": "42",
                                                      "cio_id": "c1"},
                          "attributes": {"id": "42", "email": "a@example.com", "cio_id": "c1",
                                         "plan": "pro", "city": "Oslo"},
                          "unsubscribed": False}},
            {"customer": {"id": "44", "identifiers": {"email": None, "id": "44", "cio_id": "c3"},
                          "attributes": {"id": "44", "cio_id": "c3", "plan": "free"},
                          "unsubscribed": True}},
        ]},
        text=(
            '{"count":2,"missing":["43"],"people":[{"email":"a@example.com","id":"42","cio_id":'
            '"c1","unsubscribed":false,"attributes":{"plan":"pro"}},{"id":"44","cio_id":"c3",'
            '"unsubscribed":true,"attributes":{"plan":"free"}}]}'
        ),
    ),
    Case(
        tool="customerio_get_campaign",
        arguments={"campaign_id": 7, "start": "MTA="},
        method="GET",
        path="/v1/campaigns/7",
        response={"campaign": {
            "id": 7, "name": "CRM sync", "state": "running", "active": True, "webhook_id": 3,
            "created": 1552341937, "updated": 1552341999, "tags": ["crm"],
            "actions": [{"id": 96, "type": "webhook"}],
        }},
        # The actions' second page; a webhook's URL and body are read for their Liquid.
        then=(FollowUp(
            path="/v1/campaigns/7/actions",
            query={"start": "MTA="},
            response={"actions": [
                {"id": 96, "campaign_id": 7, "name": "Post sign-up", "type": "webhook",
                 "url": "https://crm.example/hook?e={{ customer.email }}", "method": "post",
                 "body": '{"plan": "{{ customer.plan }}"}', "headers": "[]"},
                {"id": 97, "campaign_id": 7, "name": "Welcome", "type": "email",
                 "subject": "Hi {{ customer.first_name | default: 'there' }}",
                 "body": "<p>{{ event.product }}</p>", "language": "fr"},
            ], "next": "MjA="},
        ),),
        text=(
            '{"id":7,"name":"CRM sync","state":"running","trigger":"webhook 3","tags":["crm"],'
            '"created":"2019-03-11T22:05:37Z","updated":"2019-03-11T22:06:39Z","next":"MjA=",'
            '"action_columns":["id","type","name","language","subject","reads","url","method",'
            '"sending"],"actions":[[96,"webhook","Post sign-up","","",["customer.plan",'
            '"customer.email"],"https://crm.example/hook?e={{ customer.email }}","POST",""],'
            '[97,"email","Welcome","fr","Hi {{ customer.first_name | default: \'there\' }}",'
            '["customer.first_name","event.product"],"","",""]]}'
        ),
    ),
    Case(
        tool="customerio_get_broadcast",
        arguments={"broadcast_id": 2},
        method="GET",
        path="/v1/broadcasts/2",
        response={"broadcast": {"id": 2, "name": "Flash sale", "state": "running",
                                "active": True, "created": 1552341937, "updated": 1552341937}},
        then=(FollowUp(
            path="/v1/broadcasts/2/actions",
            response={"actions": [
                {"id": 5, "broadcast_id": 2, "type": "email", "name": "Sale email",
                 "subject": "{{ trigger.discount | default: 20 }}% off",
                 "body": "<p>Code {{ trigger.code }} for {{ customer.first_name }}</p>"},
            ]},
        ),),
        text=(
            '{"id":2,"name":"Flash sale","state":"running","created":"2019-03-11T22:05:37Z",'
            '"updated":"2019-03-11T22:05:37Z","trigger_data":["code"],"trigger_data_optional":'
            '["discount (default 20)"],"action_columns":["id","type","name","language","subject",'
            '"reads","url","method","sending"],"actions":[[5,"email","Sale email","",'
            '"{{ trigger.discount | default: 20 }}% off",["discount","code","customer.first_name"],'
            '"","",""]]}'
        ),
    ),
    Case(
        tool="customerio_list_subscription_topics",
        arguments={},
        method="GET",
        path="/v1/subscription_topics",
        response={"topics": [
            {"id": 4, "identifier": "topic_4", "name": "Product Updates",
             "description": "Releases.", "subscribed_by_default": False},
        ]},
        text=(
            '{"count":1,"columns":["id","name","description","on_by_default"],"topics":'
            '[[4,"Product Updates","Releases.",false]]}'
        ),
    ),
    Case(
        tool="customerio_list_subscription_topics",
        arguments={"customer_id": "me@example.com", "id_type": "email"},
        method="GET",
        path="/v1/customers/me%40example.com/subscription_preferences",
        query={"id_type": "email"},
        # The document's own example: integer ids where its schema says strings; and a person
        # unsubscribed from everything receives no topic, whatever they chose.
        response={"customer": {**response_example("getPersonSubscriptionPreferences")["customer"],
                               "unsubscribed": True}},
        validate_response=False,
        text=(
            '{"customer_id":"me@example.com","unsubscribed":true,"count":3,"columns":["id",'
            '"name","subscribed","receives"],"choices":[[1,"Offers",true,false],[2,'
            '"News and Programs",true,false],[3,"Feedback",false,false]]}'
        ),
    ),
    Case(
        tool="customerio_get_message",
        arguments={"message_id": "ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek="},
        method="GET",
        path="/v1/messages/ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek%3D",
        # The document's email example: `parent_action_id` null where its schema says integer.
        response=named_example("getMessage", "email"),
        validate_response=False,
        text=(
            '{"id":"ag1q6QWq6QUBAAF4_CGoeVX7mFkDbRFu7ek=","state":"delivered","type":"email",'
            '"source":"campaign 23","recipient":"person@example.com","subject":'
            '"Did you get that thing I sent you?","events":{"sent":"2021-04-23T00:29:28Z",'
            '"delivered":"2021-04-23T00:29:28Z"}}'
        ),
    ),
    Case(
        tool="customerio_get_message",
        # What it said, on request: the archived copy's text, never its HTML; and the variant.
        arguments={"message_id": "d1", "content": True},
        method="GET",
        path="/v1/messages/d1",
        response={"message": {"id": "d1", "type": "email", "recipient": "a@example.com",
                              "subject": "Hi", "content_id": 4, "created": 1619137767,
                              "metrics": {"sent": 1619137768}, "campaign_id": 23}},
        then=(FollowUp(
            path="/v1/messages/d1/archived_message",
            response={"archived_message": {
                "id": "d1", "subject": "Hi", "from": "shop@example.com",
                "recipient": "a@example.com",
                "body": "<html><head><style>p{}</style></head><body><h1>Hello</h1>"
                        "<p>Your code: <b>X1</b> &amp; more</p></body></html>",
            }},
        ),),
        text=(
            '{"id":"d1","state":"sent","type":"email","source":"campaign 23","recipient":'
            '"a@example.com","subject":"Hi","content_id":4,"events":{"sent":'
            '"2021-04-23T00:29:28Z"},"content":{"subject":"Hi",'
            '"sender":"shop@example.com","text":"Hello\\nYour code: X1 & more"}}'
        ),
    ),
]  # fmt: skip

BY_TOOL = {case.tool: case for case in CASES}


# Arguments that succeed on the sandbox workspace, one call per operation, in registry order.
ADA = "ada.lovelace@example.com"
SEND = {
    "transactional_message_id": 2,
    "to": ADA,
    "message_data": {"order_id": "A-1", "total": "9.50"},
}
# Ada's copy of newsletter 204 (ids are base64 of where a seeded delivery comes from).
ADA_NEWSLETTER = "bmV3c2xldHRlcjoyMDQ6YTMwMDAwMDE6MA=="
# The seeded trigger of broadcast 102 refused for two unknown ids.
FAILED_TRIGGER = {"broadcast_id": 102, "trigger_id": 3}
# One call of each tool on the sandbox: the fault matrix, the secrets scan, the output checks
# and MCP run every tool through it. `EVERY_TOOL_ONCE` follows the registry, and
# `test_every_registered_tool_has_one_call` names any tool this leaves out.
ONE_CALL: dict[str, dict[str, Any]] = {
    "customerio_search_customers": {"filter": {"segment": {"id": 9}}, "limit": 3},
    "customerio_get_person_attributes": {"customer_id": ADA, "id_type": "email"},
    "customerio_get_person_messages": {"customer_id": ADA, "id_type": "email", "limit": 5},
    "customerio_get_person_segments": {"customer_id": "1"},
    "customerio_list_campaigns": {},
    "customerio_get_campaign_metrics": {"campaign_id": 1, "res": "weeks", "series": True},
    "customerio_list_transactional_messages": {},
    "customerio_get_transactional_message": {"transactional_id": 1},
    "customerio_send_transactional_email": SEND,
    "customerio_list_broadcasts": {},
    "customerio_get_broadcast_metrics": {"broadcast_id": 101, "days": 45, "series": True},
    "customerio_trigger_broadcast": {"broadcast_id": 103, "data": {"feature": "Dashboards"}},
    "customerio_get_broadcast_trigger": FAILED_TRIGGER,
    "customerio_list_broadcast_triggers": {"broadcast_id": 102},
    "customerio_list_segments": {},
    "customerio_get_segment_size": {"segment_id": 9},
    "customerio_list_newsletters": {"limit": 3},
    "customerio_get_newsletter_metrics": {"newsletter_id": 204, "days": 7, "series": True},
    "customerio_get_message": {"message_id": ADA_NEWSLETTER, "content": True},
    "customerio_list_deliveries": {"metric": "bounced", "days": 7},
    "customerio_get_transactional_metrics": {"transactional_id": 1, "days": 30},
    "customerio_get_link_metrics": {"newsletter_id": 204, "days": 30},
    "customerio_get_email_suppression": {"suppression_type": "bounces", "limit": 5},
    "customerio_get_person_activities": {"customer_id": "13", "limit": 10},
    "customerio_get_people_attributes": {"ids": ["1", "2", "3"], "attributes": ["plan"]},
    "customerio_get_campaign": {"campaign_id": 13},
    "customerio_get_broadcast": {"broadcast_id": 101},
    "customerio_list_subscription_topics": {"customer_id": "13"},
    "customerio_compare_campaign_metrics": {"days": 7},
}
# The preset sizes, from the registry: the reads of the first eight, and with writes on, the
# first eight and the tools that check what writes did.
CORE_READS = [op.name for op in select_operations(read_only=True, tools="core")]
CORE_WITH_WRITES = [op.name for op in select_operations(read_only=False, tools="core")]
EVERY_TOOL_ONCE: list[tuple[str, dict[str, Any]]] = [
    (name, ONE_CALL[name]) for name in REGISTRY if name in ONE_CALL
]
