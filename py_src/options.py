"""Options page entry point."""
import javascript
from browser import document, window

from grccp.platform import storage

app = document.getElementById("app")


def render(items, error):
    app.textContent = ""
    editor = document.createElement("textarea")
    editor.id = "config-json"
    editor.rows = 20
    editor.cols = 80
    editor.value = window.JSON.stringify(items.get("config") or {}, None, 2)
    status = document.createElement("p")
    status.id = "status"
    status.setAttribute("role", "status")
    save = document.createElement("button")
    save.id = "save"
    save.className = "primary"
    save.textContent = "Save"

    def on_save(_event):
        try:
            config = javascript.JSON.parse(editor.value)
        except Exception as err:
            status.textContent = f"Not saved: {err}"
            return
        storage.set_items("local", {"config": config},
                          lambda error: setattr(status, "textContent", f"Not saved: {error}" if error else "Saved."))

    save.bind("click", on_save)
    for element in (editor, save, status):
        app.appendChild(element)


storage.get("local", ["config"], render)
