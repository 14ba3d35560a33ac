"""The one error type of the build: a message a person can act on."""


class BuildError(Exception):
    """Raised for any build failure that has a clear cause and a fix to suggest."""
