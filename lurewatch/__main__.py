"""`python -m lurewatch` runs the command line."""

import sys

from lurewatch.cli import main

sys.exit(main())
