"""Provider failures that say whether a retry makes sense; only workers decide what to do."""

from __future__ import annotations


class SendError(Exception):
    """A call to a provider failed.

    `retryable`: nothing was done, trying again later may work (5xx, 429, connection refused).
    `ambiguous`: the provider may have acted (the answer was lost), so it must not be repeated.
    Neither: a permanent refusal (bad key, bad sender id); repeating cannot help.
    """

    def __init__(self, code: str, *, retryable: bool = False, ambiguous: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.retryable = retryable
        self.ambiguous = ambiguous


class MalformedCallback(ValueError):
    """A provider callback that is not in the provider's documented shape."""
