"""``python -m builder``: the command line (:mod:`builder.adapters.cli`)."""

import sys

from builder.adapters.cli import main

sys.exit(main())
