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
}


# -- what happened to a message ----------------------------------------------------------------


def fate(
    created: int,
    salt: tuple[object, ...],
    rates: tuple[float, float, float, float] = (0.97, 0.4, 0.2, 0.15),
) -> tuple[dict[str, int], str | None]:
    """A sent message's events and failure, from a stable hash of `salt`: most are delivered;
    some open, click and convert (`rates`: each a share of the step before); a few bounce,
    fail, are undeliverable, stay sent, are marked as spam or lead to an unsubscribe."""

    def chance(*key: object) -> float:
        return unit(*salt, *key)

    delivered_rate, open_rate, click_rate, convert_rate = rates
    events = {"created": created}
    roll = chance("fate")
    if roll < 0.01:
        events["failed"] = created + 30
        return events, FAILURES["failed"]
    if roll < 0.02:
        events["undeliverable"] = created + 30
        return events, FAILURES["undeliverable"]
    sent = events["sent"] = created + 30 + int(chance("sent") * 300)
    if roll < 0.02 + (1 - delivered_rate):
        events["bounced"] = sent + 5
        return events, FAILURES["bounced"]
    if roll < 0.025 + (1 - delivered_rate):
        return events, None  # deferred by the receiving server: sent, not yet delivered
    delivered = events["delivered"] = sent + 2 + int(chance("delivered") * 20)
    if chance("opened") < open_rate:
        opened = events["opened"] = delivered + int(chance("opened at") ** 3 * 3 * DAY) + 60
        if chance("clicked") < click_rate:
            clicked = events["clicked"] = opened + int(chance("clicked at") * HOUR) + 5
            if chance("converted") < convert_rate:
                events["converted"] = clicked + int(chance("converted at") * 2 * DAY) + 60
    if chance("spammed") < 0.003:
        events["spammed"] = delivered + int(chance("spammed at") * DAY) + 60
    elif chance("unsubscribed") < 0.004:
        events["unsubscribed"] = delivered + int(chance("unsubscribed at") * DAY) + 60
    return events, None
