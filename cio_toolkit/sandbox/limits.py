"""Customer.io's documented limits, as the emulated workspace enforces them, each with its source.

Sources are the project's `shared/customerio-app-api.md` ("API facts") and Customer.io's own
OpenAPI operation objects in `shared/openapi/` (vendored as `tests/openapi/`). These values are
the sandbox's own, never imported from the client: the suite compares the two, so a client limit
that is wrong cannot hide behind an emulator that copied it.
"""

from __future__ import annotations

# Requests per window, per workspace: (count, seconds). API facts, "Hosts, auth, limits";
# openapi/_global.json and each operation's 429 text ("over the 10-per-second limit").
RATE_LIMITS: dict[str, tuple[int, float]] = {
    "general": (10, 1.0),
    "send": (100, 1.0),  # POST /v1/send/email
    "trigger": (1, 10.0),  # POST /v1/campaigns/{broadcast_id}/triggers
}

# openapi/getPeopleFilter.json: `limit` default 50, maximum 1000.
SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX = 50, 1000
# openapi/getSegmentMembership.json: `limit` default 1000, maximum 30,000.
MEMBERSHIP_LIMIT_DEFAULT, MEMBERSHIP_LIMIT_MAX = 1000, 30_000

# openapi/campaignMetrics.json: `res` (version 2) and its spellings; `end` "limited to 10 years
# from the `start` parameter"; `tz` "If you do not provide a time zone, we use EST".
RESOLUTIONS = {
    "hours": "hours", "hourly": "hours", "days": "days", "daily": "days",
    "weeks": "weeks", "weekly": "weeks", "months": "months", "monthly": "months",
}  # fmt: skip
METRICS_MAX_SPAN = 10 * 365 * 86_400
METRICS_DEFAULT_TZ = "America/New_York"
# Not documented: without start/end the sandbox answers the last 30 days (inferred).
METRICS_DEFAULT_DAYS = 30
# openapi/campaignMetrics.json, `type`.
CHANNELS = (
    "email",
    "webhook",
    "twilio",
    "whatsapp",
    "slack",
    "push",
    "in_app",
    "live_notification",
)

# openapi/triggerBroadcast.json and API facts, operation 6: at most one audience; `ids`,
# `emails` and `per_user_data` at most 10,000 entries; `data` at most 50,000 bytes.
AUDIENCE_MODES = ("recipients", "emails", "ids", "per_user_data", "data_file_url")
AUDIENCE_MAX = 10_000
BROADCAST_DATA_MAX_BYTES = 50_000

# API facts, operation 8 and "Size limits": at most 15 recipients across to, cc and bcc; the
# payload 1 MB besides attachments (413, inferred), attachments 2 MB in all (413, documented);
# `send_at` up to 90 days ahead.
SEND_MAX_RECIPIENTS = 15
SEND_MAX_BYTES = 1024 * 1024  # the payload besides attachments
SEND_ATTACHMENTS_MAX_BYTES = 2 * 1024 * 1024
SEND_MAX_AHEAD = 90 * 86_400

# openapi/broadcastMetrics.json and getNewsletterMetrics.json: `period` (default days) and
# `steps`, "Maximums are 24 hours, 45 days, 12 weeks, or 121 months"; "Defaults to the maximum
# available, or `12` if the period is in `months`"; "You cannot request fewer than 2 steps"
# (`steps=1` means two); `steps=0` is the maximum; periods start at 00:00 EST (read as US
# Eastern; inferred), weeks on Sunday. A count past the maximum is the maximum here (inferred:
# the documents do not say).
STEPS_MAX = {"hours": 24, "days": 45, "weeks": 12, "months": 121}
STEPS_DEFAULT = {**STEPS_MAX, "months": 12}
STEPS_MIN = 2
STEPS_TZ = "America/New_York"
# openapi/getNewsletterMetrics.json and listNewsletters.json: a newsletter's channels.
NEWSLETTER_CHANNELS = ("email", "webhook", "twilio", "push", "in_app", "inbox")

# openapi/getPersonMessages.json: `limit` default 50, maximum 1000; without start_ts and end_ts
# "the most recent 6 months"; a longer range gives "6 months of data from the most recent
# timestamp" (6 months read as 183 days).
MESSAGES_LIMIT_DEFAULT, MESSAGES_LIMIT_MAX = 50, 1000
MESSAGES_WINDOW = 183 * 86_400
# getCampaignMessages, broadcastMessages, getNewsletterMsgMeta, transactionalMessages: one
# object's deliveries over "more than 12 months" are cut to 12 (read as 365 days).
DELIVERIES_OBJECT_WINDOW = 365 * 86_400
# listNewsletters and broadcastErrors document `limit` without a default: the sandbox's own.
NEWSLETTERS_LIMIT_DEFAULT = 50
TRIGGER_ERRORS_LIMIT_DEFAULT = 100
