"""Entry point of the PyInstaller bundle (build.spec): the ``assessor`` command.

No arguments open the desktop app; ``--self-test`` checks the bundle headlessly; every other
command of ``assessor --help`` works too.
"""

import sys

from assessor_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
