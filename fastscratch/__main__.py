"""``python -m fastscratch``: the command-line interface."""

import sys

from fastscratch.app.cli import main

sys.exit(main())
