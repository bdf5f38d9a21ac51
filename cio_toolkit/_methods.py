"""The clients' typed methods, one per operation; `make generate` writes this file."""

# Do not edit: tests/method_stubs.py writes this file, and the suite fails when it drifts from
# the registry. At run time the clients make these methods from the registry itself.
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence
    from typing import Any, Literal

    from . import filters
    from .operations import (
        broadcasts,
        campaigns,
        customers,
        messages,
        newsletters,
        segments,
        transactional,
    )


class SyncMethods:
    """`CustomerIOClient`'s methods: each runs its operation."""

    if TYPE_CHECKING:

        def search_customers(
            self,
            *,
            filter: filters.Filter | Mapping[str, Any],
            limit: int = ...,
            start: str | None = ...,
            emails: bool = ...,
        ) -> customers.SearchCustomersResult: ...

        def get_person_attributes(
            self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = ...
        ) -> customers.PersonAttributesResult: ...

        def get_person_messages(
            self,
            *,
            customer_id: str,
            id_type: Literal["id", "email", "cio_id", "phone"] = ...,
            limit: int = ...,
            start: str | None = ...,
            start_ts: int | str | datetime.date | None = ...,
            end_ts: int | str | datetime.date | None = ...,
        ) -> customers.PersonMessagesResult: ...

        def get_person_segments(
            self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = ...
        ) -> customers.PersonSegmentsResult: ...

        def list_campaigns(
            self,
            *,
            name: str | None = ...,
            state: Literal["running", "draft", "stopped"] | None = ...,
        ) -> campaigns.ListCampaignsResult: ...

        def get_campaign_metrics(
            self,
            *,
            campaign_id: int,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            end: int | str | datetime.date | None = ...,
            res: Literal["hours", "days", "weeks", "months"] = ...,
            tz: str = ...,
            type: Literal[
                "email",
                "webhook",
                "twilio",
                "whatsapp",
                "slack",
                "push",
                "in_app",
                "live_notification",
            ]
            | None = ...,
            series: bool = ...,
        ) -> campaigns.CampaignMetricsResult: ...

        def list_transactional_messages(
            self, *, name: str | None = ...
        ) -> transactional.ListTransactionalResult: ...

        def get_transactional_message(
            self, *, transactional_id: int
        ) -> transactional.TransactionalTemplateResult: ...

        def send_transactional_email(
            self,
            *,
            transactional_message_id: int | str | None = ...,
            to: str,
            identifiers: transactional.Identifiers | Mapping[str, Any] | None = ...,
            message_data: Mapping[str, Any] | str | None = ...,
            from_: str | None = ...,
            subject: str | None = ...,
            body: str | None = ...,
            preheader: str | None = ...,
            reply_to: str | None = ...,
            cc: str | None = ...,
            bcc: str | None = ...,
            send_at: int | str | datetime.date | None = ...,
            language: str | None = ...,
            queue_draft: bool | None = ...,
            send_to_unsubscribed: bool | None = ...,
            tracked: bool | None = ...,
            disable_message_retention: bool | None = ...,
            disable_css_preprocessing: bool | None = ...,
            fake_bcc: bool | None = ...,
            body_amp: str | None = ...,
            body_plain: str | None = ...,
            attachments: Mapping[str, Any] | None = ...,
            headers: Mapping[str, Any] | None = ...,
        ) -> transactional.SendEmailResult: ...

        def list_broadcasts(
            self, *, name: str | None = ..., state: Literal["running", "draft"] | None = ...
        ) -> broadcasts.ListBroadcastsResult: ...

        def get_broadcast_metrics(
            self,
            *,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            period: Literal["hours", "days", "weeks", "months"] | None = ...,
            steps: int | None = ...,
            series: bool = ...,
            broadcast_id: int,
            type: Literal[
                "email",
                "webhook",
                "twilio",
                "whatsapp",
                "slack",
                "push",
                "in_app",
                "live_notification",
            ]
            | None = ...,
        ) -> broadcasts.BroadcastMetricsResult: ...

        def trigger_broadcast(
            self,
            *,
            broadcast_id: int,
            data: Mapping[str, Any] | str | None = ...,
            recipients: filters.Filter | Mapping[str, Any] | str | None = ...,
            emails: Sequence[str] | None = ...,
            ids: Sequence[str] | None = ...,
            per_user_data: Sequence[broadcasts.PerUserData | Mapping[str, Any]] | None = ...,
            data_file_url: str | None = ...,
            email_ignore_missing: bool | None = ...,
            email_add_duplicates: bool | None = ...,
            id_ignore_missing: bool | None = ...,
        ) -> broadcasts.TriggerBroadcastResult: ...

        def get_broadcast_trigger(
            self, *, broadcast_id: int, trigger_id: int, start: str | None = ...
        ) -> broadcasts.TriggerResult: ...

        def list_segments(self, *, name: str | None = ...) -> segments.ListSegmentsResult: ...

        def get_segment_size(self, *, segment_id: int) -> segments.SegmentSizeResult: ...

        def list_newsletters(
            self, *, limit: int = ..., sort: Literal["desc", "asc"] = ..., start: str | None = ...
        ) -> newsletters.ListNewslettersResult: ...

        def get_newsletter_metrics(
            self,
            *,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            period: Literal["hours", "days", "weeks", "months"] | None = ...,
            steps: int | None = ...,
            series: bool = ...,
            newsletter_id: int,
            type: Literal["email", "webhook", "twilio", "push", "in_app", "inbox"] | None = ...,
        ) -> newsletters.NewsletterMetricsResult: ...

        def get_message(self, *, message_id: str) -> messages.GetMessageResult: ...


class AsyncMethods:
    """`AsyncCustomerIOClient`'s methods: each runs its operation."""

    if TYPE_CHECKING:

        async def search_customers(
            self,
            *,
            filter: filters.Filter | Mapping[str, Any],
            limit: int = ...,
            start: str | None = ...,
            emails: bool = ...,
        ) -> customers.SearchCustomersResult: ...

        async def get_person_attributes(
            self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = ...
        ) -> customers.PersonAttributesResult: ...

        async def get_person_messages(
            self,
            *,
            customer_id: str,
            id_type: Literal["id", "email", "cio_id", "phone"] = ...,
            limit: int = ...,
            start: str | None = ...,
            start_ts: int | str | datetime.date | None = ...,
            end_ts: int | str | datetime.date | None = ...,
        ) -> customers.PersonMessagesResult: ...

        async def get_person_segments(
            self, *, customer_id: str, id_type: Literal["id", "email", "cio_id", "phone"] = ...
        ) -> customers.PersonSegmentsResult: ...

        async def list_campaigns(
            self,
            *,
            name: str | None = ...,
            state: Literal["running", "draft", "stopped"] | None = ...,
        ) -> campaigns.ListCampaignsResult: ...

        async def get_campaign_metrics(
            self,
            *,
            campaign_id: int,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            end: int | str | datetime.date | None = ...,
            res: Literal["hours", "days", "weeks", "months"] = ...,
            tz: str = ...,
            type: Literal[
                "email",
                "webhook",
                "twilio",
                "whatsapp",
                "slack",
                "push",
                "in_app",
                "live_notification",
            ]
            | None = ...,
            series: bool = ...,
        ) -> campaigns.CampaignMetricsResult: ...

        async def list_transactional_messages(
            self, *, name: str | None = ...
        ) -> transactional.ListTransactionalResult: ...

        async def get_transactional_message(
            self, *, transactional_id: int
        ) -> transactional.TransactionalTemplateResult: ...

        async def send_transactional_email(
            self,
            *,
            transactional_message_id: int | str | None = ...,
            to: str,
            identifiers: transactional.Identifiers | Mapping[str, Any] | None = ...,
            message_data: Mapping[str, Any] | str | None = ...,
            from_: str | None = ...,
            subject: str | None = ...,
            body: str | None = ...,
            preheader: str | None = ...,
            reply_to: str | None = ...,
            cc: str | None = ...,
            bcc: str | None = ...,
            send_at: int | str | datetime.date | None = ...,
            language: str | None = ...,
            queue_draft: bool | None = ...,
            send_to_unsubscribed: bool | None = ...,
            tracked: bool | None = ...,
            disable_message_retention: bool | None = ...,
            disable_css_preprocessing: bool | None = ...,
            fake_bcc: bool | None = ...,
            body_amp: str | None = ...,
            body_plain: str | None = ...,
            attachments: Mapping[str, Any] | None = ...,
            headers: Mapping[str, Any] | None = ...,
        ) -> transactional.SendEmailResult: ...

        async def list_broadcasts(
            self, *, name: str | None = ..., state: Literal["running", "draft"] | None = ...
        ) -> broadcasts.ListBroadcastsResult: ...

        async def get_broadcast_metrics(
            self,
            *,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            period: Literal["hours", "days", "weeks", "months"] | None = ...,
            steps: int | None = ...,
            series: bool = ...,
            broadcast_id: int,
            type: Literal[
                "email",
                "webhook",
                "twilio",
                "whatsapp",
                "slack",
                "push",
                "in_app",
                "live_notification",
            ]
            | None = ...,
        ) -> broadcasts.BroadcastMetricsResult: ...

        async def trigger_broadcast(
            self,
            *,
            broadcast_id: int,
            data: Mapping[str, Any] | str | None = ...,
            recipients: filters.Filter | Mapping[str, Any] | str | None = ...,
            emails: Sequence[str] | None = ...,
            ids: Sequence[str] | None = ...,
            per_user_data: Sequence[broadcasts.PerUserData | Mapping[str, Any]] | None = ...,
            data_file_url: str | None = ...,
            email_ignore_missing: bool | None = ...,
            email_add_duplicates: bool | None = ...,
            id_ignore_missing: bool | None = ...,
        ) -> broadcasts.TriggerBroadcastResult: ...

        async def get_broadcast_trigger(
            self, *, broadcast_id: int, trigger_id: int, start: str | None = ...
        ) -> broadcasts.TriggerResult: ...

        async def list_segments(self, *, name: str | None = ...) -> segments.ListSegmentsResult: ...

        async def get_segment_size(self, *, segment_id: int) -> segments.SegmentSizeResult: ...

        async def list_newsletters(
            self, *, limit: int = ..., sort: Literal["desc", "asc"] = ..., start: str | None = ...
        ) -> newsletters.ListNewslettersResult: ...

        async def get_newsletter_metrics(
            self,
            *,
            days: int | None = ...,
            start: int | str | datetime.date | None = ...,
            period: Literal["hours", "days", "weeks", "months"] | None = ...,
            steps: int | None = ...,
            series: bool = ...,
            newsletter_id: int,
            type: Literal["email", "webhook", "twilio", "push", "in_app", "inbox"] | None = ...,
        ) -> newsletters.NewsletterMetricsResult: ...

        async def get_message(self, *, message_id: str) -> messages.GetMessageResult: ...
