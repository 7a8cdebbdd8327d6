"""The toolbar button's badge."""
from . import webext


def show(text, color):
    action = webext.api.action
    action.setBadgeText(webext.to_js({"text": text}))
    action.setBadgeBackgroundColor(webext.to_js({"color": color}))
