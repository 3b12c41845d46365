"""Allow ``python -m ssot_scan``."""

from ssot_scan.console import program

if __name__ == "__main__":
    program()
