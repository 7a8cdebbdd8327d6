"""Popup entry point: the status at a glance and the one-click log download (platform.pages.popup_view)."""
from grccp.platform.pages.popup_view import PopupView

PopupView().start()
