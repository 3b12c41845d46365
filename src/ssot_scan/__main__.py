"""Allow ``python -m ssot_scan``."""

from ssot_scan.cli import main

if __name__ == "__main__":
    main()
