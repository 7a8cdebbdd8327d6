"""Background entry point (Chrome service worker / Firefox event page): listeners are registered synchronously
at start-up so that the browser can wake the background for them."""
from grccp.platform import content_scripts, runtime_channel, storage


def allowlist_match_patterns(config):
    patterns = []
    for page in (config or {}).get("allowlist", []):
        scheme, _, rest = str(page).partition("://")
        host, _, path = rest.partition("/")
        patterns.append(f"{scheme}://{host.split(':')[0]}/{path or '*'}")
    return patterns


def apply_config(config):
    def registered(error):
        if error:
            print("content script registration failed:", error)
    content_scripts.register(allowlist_match_patterns(config), registered)


def on_message(message, sender, respond):
    if message.get("type") == "cs:hello" and sender["tab_id"] is not None:
        respond({"type": "bg:hello", "tab_id": sender["tab_id"]})
    return False


runtime_channel.listen(on_message)
storage.on_changed(lambda area, changes: apply_config(changes["config"]) if area == "local" and "config" in changes else None)
storage.get("local", ["config"], lambda items, error: apply_config(items.get("config")))
