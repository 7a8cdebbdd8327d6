"""Permissions the user grants at run time: host origins (optional_host_permissions) and API permissions
(optional_permissions)."""
from . import webext


def request(origins, api_permissions, on_answer):
    """chrome.permissions.request for host origins and API permissions; on_answer(granted bool, error message or
    None). Must be called synchronously from a user gesture."""
    def answered(granted=None, *_):
        error = webext.last_error()
        on_answer(bool(granted) and error is None, error)
    try:
        webext.api.permissions.request(webext.to_js({"origins": origins, "permissions": api_permissions}), answered)
    except Exception as problem:  # noqa: BLE001 -- Firefox throws outside a user gesture
        on_answer(False, str(problem))
