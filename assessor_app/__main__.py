"""``python -m assessor_app`` is the ``assessor`` command."""

import sys

from .cli import main

sys.exit(main())
