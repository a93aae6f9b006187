"""sim's version: the one definition (setup.cfg reads it with ``attr:``)."""

__version__ = "0.1.0"
