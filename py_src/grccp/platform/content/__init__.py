"""The content script of an allowlisted page."""
