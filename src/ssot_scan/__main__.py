"""Allow ``python -m ssot_scan``."""

import sys

from ssot_scan.cli import program

if __name__ == "__main__":
    sys.exit(program())
