"""ssot-scan: find what breaks a single source of truth in a Python codebase."""

__version__ = "0.1.0"
