"""Connection settings: App API key, region and base URL, each falling back to the environment."""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr

from ._errors import ConfigurationError, MissingKeyError

Region = Literal["us", "eu"]

HOSTS: dict[str, str] = {"us": "https://api.customer.io", "eu": "https://api-eu.customer.io"}
DEFAULT_TIMEOUT = 30.0

KEY_VARIABLE = "CUSTOMERIO_APP_API_KEY"
REGION_VARIABLE = "CUSTOMERIO_REGION"
BASE_URL_VARIABLE = "CUSTOMERIO_BASE_URL"
RATE_LIMIT_VARIABLE = "CUSTOMERIO_RATE_LIMIT_URL"


class Settings(BaseModel):
    """Where and how to reach one Customer.io workspace; the key never shows in a repr.

    Settings cannot be pickled: a pickle would hold the key in plain bytes.

    Args:
        api_key: the App API key.
        base_url: where requests go.
        timeout: seconds each attempt may take in all.
    """

    # Built on first use, like every model here: importing the package stays cheap.
    model_config = ConfigDict(frozen=True, defer_build=True)

    api_key: SecretStr
    base_url: str
    timeout: float = DEFAULT_TIMEOUT

    def __getstate__(self) -> dict[Any, Any]:
        raise TypeError(
            "cio_toolkit Settings hold an App API key and cannot be pickled; pass the key to "
            "the other process through its environment (CUSTOMERIO_APP_API_KEY)."
        )

    @classmethod
    def resolve(
        cls,
        api_key: str | SecretStr | None = None,
        *,
        region: str | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from the arguments, falling back to CUSTOMERIO_* environment variables."""
        env = os.environ if environ is None else environ
        key = api_key if api_key is not None else env.get(KEY_VARIABLE)
        secret = key if isinstance(key, SecretStr) else SecretStr((key or "").strip())
        if not secret.get_secret_value():
            raise MissingKeyError(
                f"No Customer.io App API key: pass api_key=... or set {KEY_VARIABLE} "
                "(create one under Settings > API Credentials > App API Keys), or use "
                "CustomerIOToolkit.sandbox() to try the tools without an account."
            )
        _check_key(secret.get_secret_value())
        chosen_region = (region or env.get(REGION_VARIABLE) or "us").strip().lower()
        if chosen_region not in HOSTS:
            raise ConfigurationError(
                f"Unknown Customer.io region {chosen_region!r}: use 'us' or 'eu' "
                f"(argument region= or {REGION_VARIABLE})."
            )
        given_url = base_url or env.get(BASE_URL_VARIABLE)
        if given_url and (region or env.get(REGION_VARIABLE)):
            warnings.warn(
                f"Both a region and a base URL are set; the base URL ({given_url}) wins.",
                stacklevel=3,
            )
        url = (given_url or HOSTS[chosen_region]).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError(f"base_url must start with http:// or https://, got {url!r}.")
        if url.endswith("/v1"):  # every request would go to /v1/v1/...
            raise ConfigurationError(
                f"The base URL is the host, without /v1: {url.removesuffix('/v1')!r}, not {url!r}."
            )
        # NaN passes every comparison; infinity would overflow the deadline's arithmetic.
        if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
            raise ConfigurationError(
                f"timeout must be a finite, positive number of seconds, not {timeout!r}."
            )
        return cls(api_key=secret, base_url=url, timeout=timeout)


def _check_key(key: str) -> None:
    """Refuse, before any request, a key that cannot work: a public one, or one that cannot go
    in an HTTP header. The message holds no part of the key.

    Raises:
        ConfigurationError: the key is a public (`pk_`) key, or holds a character that is not
            printable ASCII (a pasted smart quote, a line break).
    """
    if key.startswith("pk_"):
        raise ConfigurationError(
            "That is a public key (pk_...): it is made for browsers and mobile apps, and cannot "
            "read data or send messages. Use a private key (sk_...) or an App API key, from "
            "Settings > API Credentials in Customer.io."
        )
    wrong = unsendable_at(key)
    if wrong is not None:
        raise ConfigurationError(
            f"The App API key has a character that cannot be sent in an HTTP header, at position "
            f"{wrong + 1} of {len(key)} (a pasted smart quote, a space or a line break?): "
            "copy the key again."
        )


def unsendable_at(text: str) -> int | None:
    """Where `text` first holds a character an HTTP header cannot carry as a token (anything
    but printable ASCII without spaces), or None: keys and bearer tokens alike."""
    return next((i for i, c in enumerate(text) if not " " < c < "\x7f"), None)
