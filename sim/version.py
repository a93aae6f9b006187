"""sim's version: the one definition (setup.cfg reads it with ``attr:``)."""

#: The package version (PEP 440), shown by ``sim --version`` and in every report.
__version__ = "0.1.0"
