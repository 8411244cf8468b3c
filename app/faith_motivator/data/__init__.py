"""Data files shipped with the package (see NOTICE.md)."""
