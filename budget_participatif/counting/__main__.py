"""``python -m budget_participatif.counting FILE.pb --rule mes [--json]``: see :mod:`.cli`."""

import sys

from budget_participatif.counting.cli import main

sys.exit(main())
