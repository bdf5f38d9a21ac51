"""Every operation's tool name, module, access and checks, in registry order."""

# Do not edit: .ci/methods.py (`make generate`) writes this file from the resource modules, and
# `make lint` fails when it drifts. The registry reads it to name, select and find operations
# without importing the modules that declare them.
from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """Where an operation is declared, and what choosing it needs to know."""

    module: str
    access: str
    checks: tuple[str, ...]


CATALOG: dict[str, Entry] = {
    "customerio_search_customers": Entry("customers", "read", ()),
    "customerio_get_person_attributes": Entry("customers", "read", ()),
    "customerio_get_people_attributes": Entry("customers", "read", ()),
    "customerio_get_person_messages": Entry("histories", "read", ()),
    "customerio_get_person_segments": Entry("histories", "read", ()),
    "customerio_get_person_activities": Entry("histories", "read", ()),
    "customerio_list_campaigns": Entry("campaigns", "read", ()),
    "customerio_get_campaign": Entry("campaigns", "read", ()),
    "customerio_get_campaign_metrics": Entry("campaigns", "read", ()),
    "customerio_compare_campaign_metrics": Entry("comparisons", "read", ()),
    "customerio_list_transactional_messages": Entry("transactional", "read", ()),
    "customerio_get_transactional_message": Entry("transactional", "read", ()),
    "customerio_get_transactional_metrics": Entry("transactional", "read", ()),
    "customerio_send_transactional_email": Entry(
        "send_email", "write", ("customerio_get_transactional_message", "customerio_get_message")
    ),
    "customerio_list_broadcasts": Entry("broadcasts", "read", ()),
    "customerio_get_broadcast": Entry("broadcasts", "read", ()),
    "customerio_get_broadcast_metrics": Entry("broadcasts", "read", ()),
    "customerio_trigger_broadcast": Entry(
        "triggers", "write", ("customerio_list_broadcasts", "customerio_get_broadcast_trigger")
    ),
    "customerio_get_broadcast_trigger": Entry("triggers", "read", ()),
    "customerio_list_broadcast_triggers": Entry("triggers", "read", ()),
    "customerio_list_segments": Entry("segments", "read", ()),
    "customerio_get_segment_size": Entry("segments", "read", ()),
    "customerio_list_newsletters": Entry("newsletters", "read", ()),
    "customerio_get_newsletter_metrics": Entry("newsletters", "read", ()),
    "customerio_get_message": Entry("messages", "read", ()),
    "customerio_list_deliveries": Entry("deliveries", "read", ()),
    "customerio_get_link_metrics": Entry("links", "read", ()),
    "customerio_get_email_suppression": Entry("suppressions", "read", ()),
    "customerio_list_subscription_topics": Entry("topics", "read", ()),
}
