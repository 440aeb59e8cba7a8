"""``python -m kvclassify``: the same as the ``kvclassify`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # not when imported, e.g. by pytest --doctest-modules
    sys.exit(main())
