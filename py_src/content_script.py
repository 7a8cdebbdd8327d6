"""Content script entry point: runs on allowlisted pages only (registered at run time by the background)."""
from browser import document, window

from grccp.platform import runtime_channel

HOST_ID = "grccp-ccp-host"


def mount_host():
    """The extension's element on the page: a host whose closed shadow root keeps the page's scripts and
    styles out of the panel."""
    host = document.createElement("div")
    host.id = HOST_ID
    host.setAttribute("data-grccp-state", "starting")
    shadow = host.attachShadow({"mode": "closed"})
    panel = document.createElement("section")
    panel.setAttribute("aria-label", "Amazon Connect CCP")
    panel.textContent = "Global Resiliency CCP: connecting…"
    shadow.appendChild(panel)
    document.body.appendChild(host)
    window.performance.mark("grccp-first-dom-change")
    return host, panel


def main():
    if document.getElementById(HOST_ID) is not None:
        return  # already running in this page
    host, panel = mount_host()

    def on_reply(reply, error):
        if error or not isinstance(reply, dict):
            host.setAttribute("data-grccp-state", "no-background")
            panel.textContent = "Global Resiliency CCP: the extension's background did not answer."
            return
        host.setAttribute("data-grccp-state", "connected")
        host.setAttribute("data-grccp-background", str(reply.get("type")))
        panel.textContent = f"Global Resiliency CCP: background answered for tab {reply.get('tab_id')}."

    runtime_channel.send({"type": "cs:hello", "url": str(window.location.href)}, on_reply)


main()
