"""Errors of the language side that callers catch without loading it (spaCy and torch take seconds to import)."""


class PipelineError(RuntimeError):
    """A model named in the settings cannot be loaded."""
