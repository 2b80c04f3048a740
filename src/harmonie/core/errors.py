"""Errors every entry point (web, API, CLI, jobs) knows how to show.

``BadInput`` carries a Dutch message for the user that names the file, row or
field. The CLI maps it to exit code 2, the API to a 400 problem+json, forms to
an error summary, jobs to a failed job with that message.
"""


class HarmonieError(Exception):
    """Base class; ``message`` is user-facing Dutch text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class BadInput(HarmonieError):
    """The input (file, row, field, argument) is wrong; nothing was written."""


class NotAllowed(HarmonieError):
    """The user's role does not permit this action."""
