"""Desktop notifications. The `notifications` permission is optional: the API is there only once granted."""
from . import webext

ICON = "icons/icon-128.png"


def show(key, title, message):
    """Shows (or replaces) the notification `key`; False when the permission is not granted."""
    api = webext.optional(webext.api, "notifications")
    if api is None:
        return False
    api.create(key, webext.to_js({"type": "basic", "iconUrl": webext.extension_url(ICON), "title": title,
                                  "message": message}))
    return True
