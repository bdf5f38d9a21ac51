"""The clients' methods, one per operation; `make generate` writes this file."""

# Do not edit: .ci/methods.py writes this file from the registry, and `make lint` fails when it
# drifts. One generated method per operation and client, so each has its own signature and
# docstring for editors, `help()` and mypy.
from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from . import _filters as filters
    from ._operation import Operation, Result
    from .operations import (
        broadcasts,
        campaigns,
        comparisons,
        customers,
        deliveries,
        histories,
        links,
        messages,
        newsletters,
        segments,
        send_email,
        suppressions,
        topics,
        transactional,
        triggers,
    )

ResultT = TypeVar("ResultT", bound="Result")


class SyncMethods:
    """`CustomerIOClient`'s methods: each runs its operation."""

    if TYPE_CHECKING:

        def execute(
            self, operation: Operation[Any, ResultT], arguments: Mapping[str, Any], /
        ) -> ResultT: ...

    def search_customers(
        self,
        *,
        filter: filters.Filter | Mapping[str, Any],
        limit: int = 50,
        start: str | None = None,
        emails: bool = False,
    ) -> customers.SearchCustomersResult:
        """Find people by segment membership and attribute values (everyone with plan=pro in
        segment 4; the person with an email). Gives one page of ids (people without one
        under cio_ids), how many are on it, and whether more exist: pass `next` as
        `start` for the next page. Not a count of matches. Profiles:
        customerio_get_person_attributes."""
        from .operations import customers

        return self.execute(
            customers.SEARCH_CUSTOMERS,
            {"filter": filter, "limit": limit, "start": start, "emails": emails},
        )

    def get_person_attributes(
        self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = "id"
    ) -> customers.PersonAttributesResult:
        """Read one person's profile: identifiers, every attribute (as text; timestamps as
        ISO-8601), whether they are unsubscribed, the topics they receive, and their
        devices. Look a person up by id, email or cio_id (id_type); find ids with
        customerio_search_customers."""
        from .operations import customers

        return self.execute(
            customers.GET_PERSON_ATTRIBUTES, {"customer_id": customer_id, "id_type": id_type}
        )

    def get_people_attributes(
        self,
        *,
        ids: Sequence[str],
        id_type: Literal["id", "email", "cio_id"] = "id",
        attributes: Sequence[str] | None = None,
    ) -> customers.PeopleAttributesResult:
        """Read up to 100 people's profiles in one call (a search page, say): identifiers,
        attributes (all, or those named), unsubscribed, topics, devices; the ids that
        matched nobody are named."""
        from .operations import customers

        return self.execute(
            customers.GET_PEOPLE_ATTRIBUTES,
            {"ids": ids, "id_type": id_type, "attributes": attributes},
        )

    def get_person_messages(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id", "phone"] = "id",
        limit: int = 10,
        start: str | None = None,
        start_ts: int | str | datetime.date | None = None,
        end_ts: int | str | datetime.date | None = None,
    ) -> histories.PersonMessagesResult:
        """The messages sent to one person, newest first: each delivery's id, time, channel, what
        sent it (campaign, broadcast, newsletter or transactional), subject, state and
        failure. States go only as far as delivered: this list does not record opens,
        clicks or bounces; customerio_get_message does, per delivery. The last 6 months
        unless a window is given; page with `next`."""
        from .operations import histories

        return self.execute(
            histories.GET_PERSON_MESSAGES,
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "limit": limit,
                "start": start,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    def get_person_segments(
        self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = "id"
    ) -> histories.PersonSegmentsResult:
        """The segments one person belongs to (ids, names, descriptions), by id, email or cio_id."""
        from .operations import histories

        return self.execute(
            histories.GET_PERSON_SEGMENTS, {"customer_id": customer_id, "id_type": id_type}
        )

    def get_person_activities(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id", "phone"] = "id",
        type: str | None = None,
        name: str | None = None,
        limit: int = 20,
        start: str | None = None,
    ) -> histories.PersonActivitiesResult:
        """What happened with one person, newest first: events they performed, pages, attribute
        changes (unsubscribed: false -> true), messages sent, opened, clicked, bounced,
        unsubscribes. For when she unsubscribed, or what he did last. Only the last 30
        days are sure to be kept; page with `next`."""
        from .operations import histories

        return self.execute(
            histories.GET_PERSON_ACTIVITIES,
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "type": type,
                "name": name,
                "limit": limit,
                "start": start,
            },
        )

    def list_campaigns(
        self,
        *,
        name: str | None = None,
        state: Literal["running", "draft", "stopped"] | None = None,
    ) -> campaigns.ListCampaignsResult:
        """List the workspace's campaigns, one row each: id, name, state (running, draft, stopped),
        trigger, filter segments, channels, tags, dates. Use it to find a campaign's id,
        or which campaigns are running; `count` is how many match."""
        from .operations import campaigns

        return self.execute(campaigns.LIST_CAMPAIGNS, {"name": name, "state": state})

    def get_campaign(
        self, *, campaign_id: int, start: str | None = None
    ) -> campaigns.GetCampaignResult:
        """How a campaign is built: what triggers it (segment, event, webhook, date), its filter
        segments, state and dates, and its actions: channel, name, subject, the trigger
        data and profile attributes each reads, a webhook's URL and method (ten actions
        a page)."""
        from .operations import campaigns

        return self.execute(campaigns.GET_CAMPAIGN, {"campaign_id": campaign_id, "start": start})

    def get_campaign_metrics(
        self,
        *,
        campaign_id: int,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        end: int | str | datetime.date | None = None,
        res: Literal["hours", "days", "weeks", "months"] = "days",
        tz: str = "UTC",
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        series: bool = False,
    ) -> campaigns.CampaignMetricsResult:
        """How a campaign performed over a time window: totals of sent, delivered, opened, clicked,
        converted, bounced and unsubscribed messages, and delivery, open, click and
        conversion rates (opens, clicks and conversions over delivered). The answer
        states its window."""
        from .operations import campaigns

        return self.execute(
            campaigns.GET_CAMPAIGN_METRICS,
            {
                "campaign_id": campaign_id,
                "days": days,
                "start": start,
                "end": end,
                "res": res,
                "tz": tz,
                "type": type,
                "series": series,
            },
        )

    def compare_campaign_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        end: int | str | datetime.date | None = None,
        res: Literal["hours", "days", "weeks", "months"] = "days",
        tz: str = "UTC",
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        series: bool = False,
        campaign_ids: Sequence[int] | None = None,
        state: Literal["running", "draft", "stopped"] | None = "running",
        name: str | None = None,
        sort_by: Literal[
            "open_rate",
            "click_rate",
            "delivery_rate",
            "conversion_rate",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "unsubscribed",
        ] = "open_rate",
    ) -> comparisons.CompareCampaignsResult:
        """Compare many campaigns over one window in one call (the running ones by default, or
        those named or listed): per campaign sent, delivered, opened, clicked,
        converted, bounced, unsubscribed and the four rates, highest first by sort_by. A
        webhook's delivery rate is its share of 2xx answers; webhooks and text messages
        track no opens (0 here). At most 50 campaigns."""
        from .operations import comparisons

        return self.execute(
            comparisons.COMPARE_CAMPAIGN_METRICS,
            {
                "days": days,
                "start": start,
                "end": end,
                "res": res,
                "tz": tz,
                "type": type,
                "series": series,
                "campaign_ids": campaign_ids,
                "state": state,
                "name": name,
                "sort_by": sort_by,
            },
        )

    def list_transactional_messages(
        self, *, name: str | None = None
    ) -> transactional.ListTransactionalResult:
        """List the transactional message templates (receipts, password resets...) with their ids
        and settings, such as whether they reach people who unsubscribed. Use it to find
        the transactional_message_id for customerio_send_transactional_email."""
        from .operations import transactional

        return self.execute(transactional.LIST_TRANSACTIONAL_MESSAGES, {"name": name})

    def get_transactional_message(
        self, *, transactional_id: int
    ) -> transactional.TransactionalTemplateResult:
        """A transactional template, to read before sending it: the message_data keys its Liquid
        reads (the optional ones may be left out), the profile attributes it uses,
        whether it reaches unsubscribed people, each language variant's subject and
        sender."""
        from .operations import transactional

        return self.execute(
            transactional.GET_TRANSACTIONAL_MESSAGE, {"transactional_id": transactional_id}
        )

    def get_transactional_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        transactional_id: int,
    ) -> transactional.TransactionalMetricsResult:
        """How a transactional message (a template) did over the last N days or since a date: sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import transactional

        return self.execute(
            transactional.GET_TRANSACTIONAL_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "transactional_id": transactional_id,
            },
        )

    def send_transactional_email(
        self,
        *,
        transactional_message_id: int | str | None = None,
        to: str,
        identifiers: send_email.Identifiers | Mapping[str, Any] | None = None,
        message_data: Mapping[str, Any] | str | None = None,
        from_: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        preheader: str | None = None,
        reply_to: str | None = None,
        cc: str | None = None,
        bcc: str | None = None,
        send_at: int | str | datetime.date | None = None,
        language: str | None = None,
        queue_draft: bool | None = None,
        send_to_unsubscribed: bool | None = None,
        tracked: bool | None = None,
        disable_message_retention: bool | None = None,
        disable_css_preprocessing: bool | None = None,
        fake_bcc: bool | None = None,
        body_amp: str | None = None,
        body_plain: str | None = None,
        attachments: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> send_email.SendEmailResult:
        """Send one transactional email now (a receipt, a reset link, a one-to-one note), from a
        template (customerio_list_transactional_messages) or, without one, with subject,
        body and from. It goes to every address in to, cc and bcc, cannot be undone, and
        is never retried once it may have reached Customer.io. People who unsubscribed
        get it only if the template is set to reach them. Returns the delivery_id, for
        customerio_get_message: what became of it."""
        from .operations import send_email

        return self.execute(
            send_email.SEND_TRANSACTIONAL_EMAIL,
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "identifiers": identifiers,
                "message_data": message_data,
                "from_": from_,
                "subject": subject,
                "body": body,
                "preheader": preheader,
                "reply_to": reply_to,
                "cc": cc,
                "bcc": bcc,
                "send_at": send_at,
                "language": language,
                "queue_draft": queue_draft,
                "send_to_unsubscribed": send_to_unsubscribed,
                "tracked": tracked,
                "disable_message_retention": disable_message_retention,
                "disable_css_preprocessing": disable_css_preprocessing,
                "fake_bcc": fake_bcc,
                "body_amp": body_amp,
                "body_plain": body_plain,
                "attachments": attachments,
                "headers": headers,
            },
        )

    def list_broadcasts(
        self, *, name: str | None = None, state: Literal["running", "draft"] | None = None
    ) -> broadcasts.ListBroadcastsResult:
        """List the API-triggered broadcasts, one row each: id, name, state, channels, tags, first
        start date; the ids to trigger or report on."""
        from .operations import broadcasts

        return self.execute(broadcasts.LIST_BROADCASTS, {"name": name, "state": state})

    def get_broadcast(self, *, broadcast_id: int) -> broadcasts.GetBroadcastResult:
        """What a broadcast sends and the data a trigger must pass: the trigger keys its messages
        read (and those with a default), and each action's channel, subject, the profile
        attributes it reads, a webhook's URL and method. Read it before triggering."""
        from .operations import broadcasts

        return self.execute(broadcasts.GET_BROADCAST, {"broadcast_id": broadcast_id})

    def get_broadcast_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        broadcast_id: int,
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
    ) -> broadcasts.BroadcastMetricsResult:
        """How a broadcast's messages did over the last N days (every trigger together): sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import broadcasts

        return self.execute(
            broadcasts.GET_BROADCAST_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "broadcast_id": broadcast_id,
                "type": type,
            },
        )

    def trigger_broadcast(
        self,
        *,
        broadcast_id: int,
        data: Mapping[str, Any] | str | None = None,
        recipients: filters.Filter | Mapping[str, Any] | str | None = None,
        emails: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        per_user_data: Sequence[triggers.PerUserData | Mapping[str, Any]] | None = None,
        data_file_url: str | None = None,
        email_ignore_missing: bool | None = None,
        email_add_duplicates: bool | None = None,
        id_ignore_missing: bool | None = None,
    ) -> triggers.TriggerBroadcastResult:
        """Send an API-triggered broadcast now: to the audience set up in Customer.io, or to one
        audience given here (recipients, emails, ids, per_user_data or data_file_url;
        the others null). It messages real people, possibly thousands, and cannot be
        undone; at most one trigger per 10 seconds. Returns the trigger id, for
        customerio_get_broadcast_trigger: did it run, which recipients failed."""
        from .operations import triggers

        return self.execute(
            triggers.TRIGGER_BROADCAST,
            {
                "broadcast_id": broadcast_id,
                "data": data,
                "recipients": recipients,
                "emails": emails,
                "ids": ids,
                "per_user_data": per_user_data,
                "data_file_url": data_file_url,
                "email_ignore_missing": email_ignore_missing,
                "email_add_duplicates": email_add_duplicates,
                "id_ignore_missing": id_ignore_missing,
            },
        )

    def get_broadcast_trigger(
        self, *, broadcast_id: int, trigger_id: int, start: str | None = None
    ) -> triggers.TriggerResult:
        """Check a trigger after customerio_trigger_broadcast: queued or processed, when, and the
        recipients it could not use (error lines, a page at a time)."""
        from .operations import triggers

        return self.execute(
            triggers.GET_BROADCAST_TRIGGER,
            {"broadcast_id": broadcast_id, "trigger_id": trigger_id, "start": start},
        )

    def list_broadcast_triggers(
        self, *, broadcast_id: int, limit: int = 20
    ) -> triggers.ListTriggersResult:
        """A broadcast's triggers, newest first: each trigger's id, when it was made, and whether
        it has been processed. For the trigger of a given day (its recipients' errors:
        customerio_get_broadcast_trigger), or whether a trigger was made at all."""
        from .operations import triggers

        return self.execute(
            triggers.LIST_BROADCAST_TRIGGERS, {"broadcast_id": broadcast_id, "limit": limit}
        )

    def list_segments(self, *, name: str | None = None) -> segments.ListSegmentsResult:
        """List the workspace's segments (manual and dynamic) with ids, names and build state. Use
        a segment id in a search filter {"segment":{"id":N}} or a broadcast's
        recipients."""
        from .operations import segments

        return self.execute(segments.LIST_SEGMENTS, {"name": name})

    def get_segment_size(self, *, segment_id: int) -> segments.SegmentSizeResult:
        """How many people are in a segment now, in one call (searching would page through them),
        and its name; a segment still being built says so, with its progress."""
        from .operations import segments

        return self.execute(segments.GET_SEGMENT_SIZE, {"segment_id": segment_id})

    def list_newsletters(
        self, *, limit: int = 10, sort: Literal["desc", "asc"] = "desc", start: str | None = None
    ) -> newsletters.ListNewslettersResult:
        """List newsletters (one-off sends to a segment), newest first: id, name, channel, when it
        was sent (empty: not yet), recipient segments, tags. Page with `next`."""
        from .operations import newsletters

        return self.execute(
            newsletters.LIST_NEWSLETTERS, {"limit": limit, "sort": sort, "start": start}
        )

    def get_newsletter_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        newsletter_id: int,
        type: Literal["email", "webhook", "twilio", "push", "in_app", "inbox"] | None = None,
    ) -> newsletters.NewsletterMetricsResult:
        """How a newsletter did over the last N days or since a date (say, when it was sent): sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import newsletters

        return self.execute(
            newsletters.GET_NEWSLETTER_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "newsletter_id": newsletter_id,
                "type": type,
            },
        )

    def get_message(self, *, message_id: str, content: bool = False) -> messages.GetMessageResult:
        """What became of one delivery: its state (sent, delivered, opened, clicked, bounced,
        suppressed...), when each step happened, why it failed, and on request what it
        said. Use it after a send, with its delivery_id."""
        from .operations import messages

        return self.execute(messages.GET_MESSAGE, {"message_id": message_id, "content": content})

    def list_deliveries(
        self,
        *,
        campaign_id: int | None = None,
        broadcast_id: int | None = None,
        newsletter_id: int | None = None,
        transactional_id: int | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        days: int | None = None,
        start_ts: int | str | datetime.date | None = None,
        end_ts: int | str | datetime.date | None = None,
        limit: int = 20,
        start: str | None = None,
    ) -> deliveries.ListDeliveriesResult:
        """Deliveries, newest first, a page at a time: the workspace's, or one campaign's,
        broadcast's, newsletter's or transactional message's; only those that bounced,
        failed, opened... (metric), of one channel, created in a window (default the
        last 30 days; at most 180 days, 365 for one object). Each row: recipient, state,
        when, what sent it, subject, failure. For who hard-bounced, or a campaign's
        failed sends."""
        from .operations import deliveries

        return self.execute(
            deliveries.LIST_DELIVERIES,
            {
                "campaign_id": campaign_id,
                "broadcast_id": broadcast_id,
                "newsletter_id": newsletter_id,
                "transactional_id": transactional_id,
                "metric": metric,
                "type": type,
                "days": days,
                "start_ts": start_ts,
                "end_ts": end_ts,
                "limit": limit,
                "start": start,
            },
        )

    def get_link_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        campaign_id: int | None = None,
        broadcast_id: int | None = None,
        newsletter_id: int | None = None,
        transactional_id: int | None = None,
        unique: bool | None = None,
        limit: int = 10,
    ) -> links.LinkMetricsResult:
        """Which links were clicked, most first, in a campaign, broadcast, newsletter or
        transactional message (give one), over the last N days or since a date: each
        link's clicks, human and machine. The answer states the window, in whole US
        Eastern periods; a message with no links, or none clicked, lists none."""
        from .operations import links

        return self.execute(
            links.GET_LINK_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "campaign_id": campaign_id,
                "broadcast_id": broadcast_id,
                "newsletter_id": newsletter_id,
                "transactional_id": transactional_id,
                "unique": unique,
                "limit": limit,
            },
        )

    def get_email_suppression(
        self,
        *,
        email_address: str | None = None,
        suppression_type: Literal["bounces", "blocks", "spam_reports", "invalid_emails"]
        | None = None,
        domain: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> suppressions.SuppressionsResult:
        """Whether the email provider suppresses an address (it then sends nothing there), and why:
        bounce or spam report, when, the provider's reason and status. Or the addresses
        suppressed for one reason. Not Customer.io's own unsubscribes or suppressed
        people: a profile says those."""
        from .operations import suppressions

        return self.execute(
            suppressions.GET_EMAIL_SUPPRESSION,
            {
                "email_address": email_address,
                "suppression_type": suppression_type,
                "domain": domain,
                "limit": limit,
                "offset": offset,
            },
        )

    def list_subscription_topics(
        self,
        *,
        customer_id: str | None = None,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> topics.TopicsResult:
        """The subscription topics: each topic's id, name, description and whether people are in it
        by default; or, for one person, which topics they chose and whether they receive
        each (nobody unsubscribed from everything does)."""
        from .operations import topics

        return self.execute(
            topics.LIST_SUBSCRIPTION_TOPICS, {"customer_id": customer_id, "id_type": id_type}
        )


class AsyncMethods:
    """`AsyncCustomerIOClient`'s methods: each runs its operation."""

    if TYPE_CHECKING:

        async def execute(
            self, operation: Operation[Any, ResultT], arguments: Mapping[str, Any], /
        ) -> ResultT: ...

    async def search_customers(
        self,
        *,
        filter: filters.Filter | Mapping[str, Any],
        limit: int = 50,
        start: str | None = None,
        emails: bool = False,
    ) -> customers.SearchCustomersResult:
        """Find people by segment membership and attribute values (everyone with plan=pro in
        segment 4; the person with an email). Gives one page of ids (people without one
        under cio_ids), how many are on it, and whether more exist: pass `next` as
        `start` for the next page. Not a count of matches. Profiles:
        customerio_get_person_attributes."""
        from .operations import customers

        return await self.execute(
            customers.SEARCH_CUSTOMERS,
            {"filter": filter, "limit": limit, "start": start, "emails": emails},
        )

    async def get_person_attributes(
        self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = "id"
    ) -> customers.PersonAttributesResult:
        """Read one person's profile: identifiers, every attribute (as text; timestamps as
        ISO-8601), whether they are unsubscribed, the topics they receive, and their
        devices. Look a person up by id, email or cio_id (id_type); find ids with
        customerio_search_customers."""
        from .operations import customers

        return await self.execute(
            customers.GET_PERSON_ATTRIBUTES, {"customer_id": customer_id, "id_type": id_type}
        )

    async def get_people_attributes(
        self,
        *,
        ids: Sequence[str],
        id_type: Literal["id", "email", "cio_id"] = "id",
        attributes: Sequence[str] | None = None,
    ) -> customers.PeopleAttributesResult:
        """Read up to 100 people's profiles in one call (a search page, say): identifiers,
        attributes (all, or those named), unsubscribed, topics, devices; the ids that
        matched nobody are named."""
        from .operations import customers

        return await self.execute(
            customers.GET_PEOPLE_ATTRIBUTES,
            {"ids": ids, "id_type": id_type, "attributes": attributes},
        )

    async def get_person_messages(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id", "phone"] = "id",
        limit: int = 10,
        start: str | None = None,
        start_ts: int | str | datetime.date | None = None,
        end_ts: int | str | datetime.date | None = None,
    ) -> histories.PersonMessagesResult:
        """The messages sent to one person, newest first: each delivery's id, time, channel, what
        sent it (campaign, broadcast, newsletter or transactional), subject, state and
        failure. States go only as far as delivered: this list does not record opens,
        clicks or bounces; customerio_get_message does, per delivery. The last 6 months
        unless a window is given; page with `next`."""
        from .operations import histories

        return await self.execute(
            histories.GET_PERSON_MESSAGES,
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "limit": limit,
                "start": start,
                "start_ts": start_ts,
                "end_ts": end_ts,
            },
        )

    async def get_person_segments(
        self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = "id"
    ) -> histories.PersonSegmentsResult:
        """The segments one person belongs to (ids, names, descriptions), by id, email or cio_id."""
        from .operations import histories

        return await self.execute(
            histories.GET_PERSON_SEGMENTS, {"customer_id": customer_id, "id_type": id_type}
        )

    async def get_person_activities(
        self,
        *,
        customer_id: str,
        id_type: Literal["id", "email", "cio_id", "phone"] = "id",
        type: str | None = None,
        name: str | None = None,
        limit: int = 20,
        start: str | None = None,
    ) -> histories.PersonActivitiesResult:
        """What happened with one person, newest first: events they performed, pages, attribute
        changes (unsubscribed: false -> true), messages sent, opened, clicked, bounced,
        unsubscribes. For when she unsubscribed, or what he did last. Only the last 30
        days are sure to be kept; page with `next`."""
        from .operations import histories

        return await self.execute(
            histories.GET_PERSON_ACTIVITIES,
            {
                "customer_id": customer_id,
                "id_type": id_type,
                "type": type,
                "name": name,
                "limit": limit,
                "start": start,
            },
        )

    async def list_campaigns(
        self,
        *,
        name: str | None = None,
        state: Literal["running", "draft", "stopped"] | None = None,
    ) -> campaigns.ListCampaignsResult:
        """List the workspace's campaigns, one row each: id, name, state (running, draft, stopped),
        trigger, filter segments, channels, tags, dates. Use it to find a campaign's id,
        or which campaigns are running; `count` is how many match."""
        from .operations import campaigns

        return await self.execute(campaigns.LIST_CAMPAIGNS, {"name": name, "state": state})

    async def get_campaign(
        self, *, campaign_id: int, start: str | None = None
    ) -> campaigns.GetCampaignResult:
        """How a campaign is built: what triggers it (segment, event, webhook, date), its filter
        segments, state and dates, and its actions: channel, name, subject, the trigger
        data and profile attributes each reads, a webhook's URL and method (ten actions
        a page)."""
        from .operations import campaigns

        return await self.execute(
            campaigns.GET_CAMPAIGN, {"campaign_id": campaign_id, "start": start}
        )

    async def get_campaign_metrics(
        self,
        *,
        campaign_id: int,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        end: int | str | datetime.date | None = None,
        res: Literal["hours", "days", "weeks", "months"] = "days",
        tz: str = "UTC",
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        series: bool = False,
    ) -> campaigns.CampaignMetricsResult:
        """How a campaign performed over a time window: totals of sent, delivered, opened, clicked,
        converted, bounced and unsubscribed messages, and delivery, open, click and
        conversion rates (opens, clicks and conversions over delivered). The answer
        states its window."""
        from .operations import campaigns

        return await self.execute(
            campaigns.GET_CAMPAIGN_METRICS,
            {
                "campaign_id": campaign_id,
                "days": days,
                "start": start,
                "end": end,
                "res": res,
                "tz": tz,
                "type": type,
                "series": series,
            },
        )

    async def compare_campaign_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        end: int | str | datetime.date | None = None,
        res: Literal["hours", "days", "weeks", "months"] = "days",
        tz: str = "UTC",
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        series: bool = False,
        campaign_ids: Sequence[int] | None = None,
        state: Literal["running", "draft", "stopped"] | None = "running",
        name: str | None = None,
        sort_by: Literal[
            "open_rate",
            "click_rate",
            "delivery_rate",
            "conversion_rate",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "unsubscribed",
        ] = "open_rate",
    ) -> comparisons.CompareCampaignsResult:
        """Compare many campaigns over one window in one call (the running ones by default, or
        those named or listed): per campaign sent, delivered, opened, clicked,
        converted, bounced, unsubscribed and the four rates, highest first by sort_by. A
        webhook's delivery rate is its share of 2xx answers; webhooks and text messages
        track no opens (0 here). At most 50 campaigns."""
        from .operations import comparisons

        return await self.execute(
            comparisons.COMPARE_CAMPAIGN_METRICS,
            {
                "days": days,
                "start": start,
                "end": end,
                "res": res,
                "tz": tz,
                "type": type,
                "series": series,
                "campaign_ids": campaign_ids,
                "state": state,
                "name": name,
                "sort_by": sort_by,
            },
        )

    async def list_transactional_messages(
        self, *, name: str | None = None
    ) -> transactional.ListTransactionalResult:
        """List the transactional message templates (receipts, password resets...) with their ids
        and settings, such as whether they reach people who unsubscribed. Use it to find
        the transactional_message_id for customerio_send_transactional_email."""
        from .operations import transactional

        return await self.execute(transactional.LIST_TRANSACTIONAL_MESSAGES, {"name": name})

    async def get_transactional_message(
        self, *, transactional_id: int
    ) -> transactional.TransactionalTemplateResult:
        """A transactional template, to read before sending it: the message_data keys its Liquid
        reads (the optional ones may be left out), the profile attributes it uses,
        whether it reaches unsubscribed people, each language variant's subject and
        sender."""
        from .operations import transactional

        return await self.execute(
            transactional.GET_TRANSACTIONAL_MESSAGE, {"transactional_id": transactional_id}
        )

    async def get_transactional_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        transactional_id: int,
    ) -> transactional.TransactionalMetricsResult:
        """How a transactional message (a template) did over the last N days or since a date: sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import transactional

        return await self.execute(
            transactional.GET_TRANSACTIONAL_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "transactional_id": transactional_id,
            },
        )

    async def send_transactional_email(
        self,
        *,
        transactional_message_id: int | str | None = None,
        to: str,
        identifiers: send_email.Identifiers | Mapping[str, Any] | None = None,
        message_data: Mapping[str, Any] | str | None = None,
        from_: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        preheader: str | None = None,
        reply_to: str | None = None,
        cc: str | None = None,
        bcc: str | None = None,
        send_at: int | str | datetime.date | None = None,
        language: str | None = None,
        queue_draft: bool | None = None,
        send_to_unsubscribed: bool | None = None,
        tracked: bool | None = None,
        disable_message_retention: bool | None = None,
        disable_css_preprocessing: bool | None = None,
        fake_bcc: bool | None = None,
        body_amp: str | None = None,
        body_plain: str | None = None,
        attachments: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> send_email.SendEmailResult:
        """Send one transactional email now (a receipt, a reset link, a one-to-one note), from a
        template (customerio_list_transactional_messages) or, without one, with subject,
        body and from. It goes to every address in to, cc and bcc, cannot be undone, and
        is never retried once it may have reached Customer.io. People who unsubscribed
        get it only if the template is set to reach them. Returns the delivery_id, for
        customerio_get_message: what became of it."""
        from .operations import send_email

        return await self.execute(
            send_email.SEND_TRANSACTIONAL_EMAIL,
            {
                "transactional_message_id": transactional_message_id,
                "to": to,
                "identifiers": identifiers,
                "message_data": message_data,
                "from_": from_,
                "subject": subject,
                "body": body,
                "preheader": preheader,
                "reply_to": reply_to,
                "cc": cc,
                "bcc": bcc,
                "send_at": send_at,
                "language": language,
                "queue_draft": queue_draft,
                "send_to_unsubscribed": send_to_unsubscribed,
                "tracked": tracked,
                "disable_message_retention": disable_message_retention,
                "disable_css_preprocessing": disable_css_preprocessing,
                "fake_bcc": fake_bcc,
                "body_amp": body_amp,
                "body_plain": body_plain,
                "attachments": attachments,
                "headers": headers,
            },
        )

    async def list_broadcasts(
        self, *, name: str | None = None, state: Literal["running", "draft"] | None = None
    ) -> broadcasts.ListBroadcastsResult:
        """List the API-triggered broadcasts, one row each: id, name, state, channels, tags, first
        start date; the ids to trigger or report on."""
        from .operations import broadcasts

        return await self.execute(broadcasts.LIST_BROADCASTS, {"name": name, "state": state})

    async def get_broadcast(self, *, broadcast_id: int) -> broadcasts.GetBroadcastResult:
        """What a broadcast sends and the data a trigger must pass: the trigger keys its messages
        read (and those with a default), and each action's channel, subject, the profile
        attributes it reads, a webhook's URL and method. Read it before triggering."""
        from .operations import broadcasts

        return await self.execute(broadcasts.GET_BROADCAST, {"broadcast_id": broadcast_id})

    async def get_broadcast_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        broadcast_id: int,
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
    ) -> broadcasts.BroadcastMetricsResult:
        """How a broadcast's messages did over the last N days (every trigger together): sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import broadcasts

        return await self.execute(
            broadcasts.GET_BROADCAST_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "broadcast_id": broadcast_id,
                "type": type,
            },
        )

    async def trigger_broadcast(
        self,
        *,
        broadcast_id: int,
        data: Mapping[str, Any] | str | None = None,
        recipients: filters.Filter | Mapping[str, Any] | str | None = None,
        emails: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
        per_user_data: Sequence[triggers.PerUserData | Mapping[str, Any]] | None = None,
        data_file_url: str | None = None,
        email_ignore_missing: bool | None = None,
        email_add_duplicates: bool | None = None,
        id_ignore_missing: bool | None = None,
    ) -> triggers.TriggerBroadcastResult:
        """Send an API-triggered broadcast now: to the audience set up in Customer.io, or to one
        audience given here (recipients, emails, ids, per_user_data or data_file_url;
        the others null). It messages real people, possibly thousands, and cannot be
        undone; at most one trigger per 10 seconds. Returns the trigger id, for
        customerio_get_broadcast_trigger: did it run, which recipients failed."""
        from .operations import triggers

        return await self.execute(
            triggers.TRIGGER_BROADCAST,
            {
                "broadcast_id": broadcast_id,
                "data": data,
                "recipients": recipients,
                "emails": emails,
                "ids": ids,
                "per_user_data": per_user_data,
                "data_file_url": data_file_url,
                "email_ignore_missing": email_ignore_missing,
                "email_add_duplicates": email_add_duplicates,
                "id_ignore_missing": id_ignore_missing,
            },
        )

    async def get_broadcast_trigger(
        self, *, broadcast_id: int, trigger_id: int, start: str | None = None
    ) -> triggers.TriggerResult:
        """Check a trigger after customerio_trigger_broadcast: queued or processed, when, and the
        recipients it could not use (error lines, a page at a time)."""
        from .operations import triggers

        return await self.execute(
            triggers.GET_BROADCAST_TRIGGER,
            {"broadcast_id": broadcast_id, "trigger_id": trigger_id, "start": start},
        )

    async def list_broadcast_triggers(
        self, *, broadcast_id: int, limit: int = 20
    ) -> triggers.ListTriggersResult:
        """A broadcast's triggers, newest first: each trigger's id, when it was made, and whether
        it has been processed. For the trigger of a given day (its recipients' errors:
        customerio_get_broadcast_trigger), or whether a trigger was made at all."""
        from .operations import triggers

        return await self.execute(
            triggers.LIST_BROADCAST_TRIGGERS, {"broadcast_id": broadcast_id, "limit": limit}
        )

    async def list_segments(self, *, name: str | None = None) -> segments.ListSegmentsResult:
        """List the workspace's segments (manual and dynamic) with ids, names and build state. Use
        a segment id in a search filter {"segment":{"id":N}} or a broadcast's
        recipients."""
        from .operations import segments

        return await self.execute(segments.LIST_SEGMENTS, {"name": name})

    async def get_segment_size(self, *, segment_id: int) -> segments.SegmentSizeResult:
        """How many people are in a segment now, in one call (searching would page through them),
        and its name; a segment still being built says so, with its progress."""
        from .operations import segments

        return await self.execute(segments.GET_SEGMENT_SIZE, {"segment_id": segment_id})

    async def list_newsletters(
        self, *, limit: int = 10, sort: Literal["desc", "asc"] = "desc", start: str | None = None
    ) -> newsletters.ListNewslettersResult:
        """List newsletters (one-off sends to a segment), newest first: id, name, channel, when it
        was sent (empty: not yet), recipient segments, tags. Page with `next`."""
        from .operations import newsletters

        return await self.execute(
            newsletters.LIST_NEWSLETTERS, {"limit": limit, "sort": sort, "start": start}
        )

    async def get_newsletter_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        newsletter_id: int,
        type: Literal["email", "webhook", "twilio", "push", "in_app", "inbox"] | None = None,
    ) -> newsletters.NewsletterMetricsResult:
        """How a newsletter did over the last N days or since a date (say, when it was sent): sent,
        delivered, opened, clicked, converted, bounced, unsubscribed, and delivery,
        open, click and conversion rates. The answer states the window, in whole US
        Eastern periods."""
        from .operations import newsletters

        return await self.execute(
            newsletters.GET_NEWSLETTER_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "newsletter_id": newsletter_id,
                "type": type,
            },
        )

    async def get_message(
        self, *, message_id: str, content: bool = False
    ) -> messages.GetMessageResult:
        """What became of one delivery: its state (sent, delivered, opened, clicked, bounced,
        suppressed...), when each step happened, why it failed, and on request what it
        said. Use it after a send, with its delivery_id."""
        from .operations import messages

        return await self.execute(
            messages.GET_MESSAGE, {"message_id": message_id, "content": content}
        )

    async def list_deliveries(
        self,
        *,
        campaign_id: int | None = None,
        broadcast_id: int | None = None,
        newsletter_id: int | None = None,
        transactional_id: int | None = None,
        metric: Literal[
            "attempted",
            "sent",
            "delivered",
            "opened",
            "clicked",
            "converted",
            "bounced",
            "spammed",
            "unsubscribed",
            "dropped",
            "failed",
            "undeliverable",
        ]
        | None = None,
        type: Literal[
            "email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification"
        ]
        | None = None,
        days: int | None = None,
        start_ts: int | str | datetime.date | None = None,
        end_ts: int | str | datetime.date | None = None,
        limit: int = 20,
        start: str | None = None,
    ) -> deliveries.ListDeliveriesResult:
        """Deliveries, newest first, a page at a time: the workspace's, or one campaign's,
        broadcast's, newsletter's or transactional message's; only those that bounced,
        failed, opened... (metric), of one channel, created in a window (default the
        last 30 days; at most 180 days, 365 for one object). Each row: recipient, state,
        when, what sent it, subject, failure. For who hard-bounced, or a campaign's
        failed sends."""
        from .operations import deliveries

        return await self.execute(
            deliveries.LIST_DELIVERIES,
            {
                "campaign_id": campaign_id,
                "broadcast_id": broadcast_id,
                "newsletter_id": newsletter_id,
                "transactional_id": transactional_id,
                "metric": metric,
                "type": type,
                "days": days,
                "start_ts": start_ts,
                "end_ts": end_ts,
                "limit": limit,
                "start": start,
            },
        )

    async def get_link_metrics(
        self,
        *,
        days: int | None = None,
        start: int | str | datetime.date | None = None,
        period: Literal["hours", "days", "weeks", "months"] | None = None,
        steps: int | None = None,
        series: bool = False,
        campaign_id: int | None = None,
        broadcast_id: int | None = None,
        newsletter_id: int | None = None,
        transactional_id: int | None = None,
        unique: bool | None = None,
        limit: int = 10,
    ) -> links.LinkMetricsResult:
        """Which links were clicked, most first, in a campaign, broadcast, newsletter or
        transactional message (give one), over the last N days or since a date: each
        link's clicks, human and machine. The answer states the window, in whole US
        Eastern periods; a message with no links, or none clicked, lists none."""
        from .operations import links

        return await self.execute(
            links.GET_LINK_METRICS,
            {
                "days": days,
                "start": start,
                "period": period,
                "steps": steps,
                "series": series,
                "campaign_id": campaign_id,
                "broadcast_id": broadcast_id,
                "newsletter_id": newsletter_id,
                "transactional_id": transactional_id,
                "unique": unique,
                "limit": limit,
            },
        )

    async def get_email_suppression(
        self,
        *,
        email_address: str | None = None,
        suppression_type: Literal["bounces", "blocks", "spam_reports", "invalid_emails"]
        | None = None,
        domain: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> suppressions.SuppressionsResult:
        """Whether the email provider suppresses an address (it then sends nothing there), and why:
        bounce or spam report, when, the provider's reason and status. Or the addresses
        suppressed for one reason. Not Customer.io's own unsubscribes or suppressed
        people: a profile says those."""
        from .operations import suppressions

        return await self.execute(
            suppressions.GET_EMAIL_SUPPRESSION,
            {
                "email_address": email_address,
                "suppression_type": suppression_type,
                "domain": domain,
                "limit": limit,
                "offset": offset,
            },
        )

    async def list_subscription_topics(
        self,
        *,
        customer_id: str | None = None,
        id_type: Literal["id", "email", "cio_id"] | None = None,
    ) -> topics.TopicsResult:
        """The subscription topics: each topic's id, name, description and whether people are in it
        by default; or, for one person, which topics they chose and whether they receive
        each (nobody unsubscribed from everything does)."""
        from .operations import topics

        return await self.execute(
            topics.LIST_SUBSCRIPTION_TOPICS, {"customer_id": customer_id, "id_type": id_type}
        )
