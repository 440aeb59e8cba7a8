"""``python -m kvclassify``: the same as the ``kvclassify`` command."""

import sys

from .cli import main

sys.exit(main())
