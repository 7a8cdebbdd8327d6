"""Popup entry point."""
from browser import document

from grccp.platform import storage


def show(items, error):
    app = document.getElementById("app")
    app.textContent = "Configured." if items.get("config") else "Not configured yet."


storage.get("local", ["config"], show)
