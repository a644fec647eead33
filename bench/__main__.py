"""``python -m bench``: the benchmark (:mod:`bench.benchmark`)."""

import sys

from bench.benchmark import main

sys.exit(main())
