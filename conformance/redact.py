"""Credentials and webhook secrets never reach a terminal or a file: each is replaced by its name."""
from __future__ import annotations

import re

from conformance.config import RunConfig

WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9_\-]+")
WEBHOOK_SECRET_SHOWN = "whsec_<redacted>"


def secrets_of(config: RunConfig) -> dict[str, str]:
    named = {config.token: "$TOKEN", config.other_token: "$OTHER_TOKEN", config.api_key: "$API_KEY"}
    return {value: name for value, name in named.items() if value}


class Redactor:
    def __init__(self, secrets: dict[str, str]) -> None:
        # longest first, so a secret that contains another is replaced whole
        self.secrets = sorted(secrets.items(), key=lambda item: -len(item[0]))

    def __call__(self, text: str) -> str:
        for secret, name in self.secrets:
            text = text.replace(secret, name)
        return WEBHOOK_SECRET.sub(WEBHOOK_SECRET_SHOWN, text)

    def deep(self, value):
        """Every string inside a JSON-like value redacted."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, dict):
            return {self(str(k)): self.deep(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.deep(v) for v in value]
        return value
