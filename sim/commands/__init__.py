"""Sub-commands of the ``sim`` command line (see :mod:`sim.cli`)."""
