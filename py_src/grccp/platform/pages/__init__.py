"""The extension's pages: the popup and the options page."""
