"""What became of a seeded message: delivered, opened, clicked, bounced, failed..., from a stable
hash, so the same workspace tells the same story on every run."""

from __future__ import annotations

from .metrics import HOUR, unit

DAY = 86_400

# Why a message did not go out, in the words of the delivery's `failure_message`.
UNSUBSCRIBED = "Not sent: the person is unsubscribed and this message is not set to reach them."
FAILURES = {
    "failed": "Liquid error: undefined variable in the message body.",
    "undeliverable": "The recipient's address was rejected as invalid.",
    "bounced": "550 5.1.1 The email account that you tried to reach does not exist.",
    "webhook": "The webhook answered 500 Internal Server Error.",
}
# The share of undelivered email that hard-bounces.
HARD_BOUNCE_SHARE = 0.2
# A later email to an address that hard-bounced is not sent: it is suppressed.
SUPPRESSED = "Not sent: the address is suppressed after a hard bounce."


# -- what happened to a message ----------------------------------------------------------------


def fate(
    created: int,
    salt: tuple[object, ...],
    rates: tuple[float, float, float, float] = (0.97, 0.4, 0.2, 0.15),
    channel: str = "email",
) -> tuple[dict[str, int], str | None]:
    """A sent message's events and failure, from a stable hash of `salt`: most are delivered;
    some open, click and convert (`rates`: each a share of the step before); a few fail, are
    undeliverable, stay sent, or lead to an unsubscribe. Only an email bounces or is marked as
    spam; a text message is never seen opening (its clicks are of its links); a webhook is
    sent, then answered 2xx (`delivered`) or fails."""

    def chance(*key: object) -> float:
        return unit(*salt, *key)

    delivered_rate, open_rate, click_rate, convert_rate = rates
    events = {"created": created}
    roll = chance("fate")
    if channel == "webhook":
        sent = events["sent"] = created + 1
        if roll < 0.02:
            events["failed"] = sent + 1
            return events, FAILURES["webhook"]
        events["delivered"] = sent + 1
        return events, None
    if roll < 0.01:
        events["failed"] = created + 30
        return events, FAILURES["failed"]
    if roll < 0.02:
        events["undeliverable"] = created + 30
        return events, FAILURES["undeliverable"]
    sent = events["sent"] = created + 30 + int(chance("sent") * 300)
    # A hard bounce suppresses the address for good, so it is a small share of what is not
    # delivered; the rest is deferred by the receiving server (sent, not yet delivered).
    bounces = (1 - delivered_rate) * HARD_BOUNCE_SHARE
    if channel == "email" and roll < 0.02 + bounces:
        events["bounced"] = sent + 5
        return events, FAILURES["bounced"]
    if roll < 0.025 + bounces:
        return events, None  # deferred by the receiving server: sent, not yet delivered
    delivered = events["delivered"] = sent + 2 + int(chance("delivered") * 20)
    seen_from = delivered
    if channel == "twilio":
        click_rate = open_rate * click_rate  # of those delivered, as the campaign's rates say
    elif chance("opened") < open_rate:
        seen_from = events["opened"] = delivered + int(chance("opened at") ** 3 * 3 * DAY) + 60
    else:
        click_rate = 0.0
    if chance("clicked") < click_rate:
        clicked = events["clicked"] = seen_from + int(chance("clicked at") * HOUR) + 5
        if chance("converted") < convert_rate:
            events["converted"] = clicked + int(chance("converted at") * 2 * DAY) + 60
    if channel == "email" and chance("spammed") < 0.003:
        events["spammed"] = delivered + int(chance("spammed at") * DAY) + 60
    elif chance("unsubscribed") < 0.004:
        events["unsubscribed"] = delivered + int(chance("unsubscribed at") * DAY) + 60
    return events, None
