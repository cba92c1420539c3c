"""newslens: compare how outlets reported the same event."""

__version__ = "0.1.0"
