"""The options page's import and export: Export saves the form as a JSON file; Import fills the form from a JSON
file and checks it like the form (settings a policy manages are ignored); nothing is saved until Save.
#export, #import-file, #transfer-status[data-state=idle|exported|imported|invalid|error]."""
from grccp.core import options_model as model
from grccp.core.effective_config import local_part
from grccp.platform.shared import downloads, webext

from . import dom

EXPORT_FILE_NAME = "gr-ccp-configuration.json"


class ConfigTransfer:
    def __init__(self, page):
        self.page = page  # options_page.OptionsPage: its form, the policy's fields, its check
        self.status = dom.by_id("transfer-status")

    def start(self):
        dom.on(dom.by_id("export"), "click", lambda event: self.export())
        dom.on(dom.by_id("import-file"), "change", self._on_import)

    def _show(self, state, text):
        dom.set_attr(self.status, "data-state", state)
        dom.set_text(self.status, text)

    def export(self):
        page = self.page
        config_obj = model.config_from_form(page.form.read())
        problems = len(page.check(local_part(config_obj, page.managed()[1]))[1])
        text = str(webext.global_scope.JSON.stringify(webext.to_js(config_obj), None, 2)) + "\n"

        def saved(path, error):
            if error:
                self._show("error", f"Not exported: {error}")
            else:
                self._show("exported", f"Exported to {EXPORT_FILE_NAME}" + (
                    f" (the form has {problems} problem(s))" if problems else "") + ".")
        downloads.save(EXPORT_FILE_NAME, downloads.text_blob(text, mime="application/json"), saved)

    def _on_import(self, event):
        picker = dom.by_id("import-file")
        files = picker.files
        if not files.length:
            return
        chosen = files.item(0)
        name = str(chosen.name)
        chosen.text().then(lambda text: self._imported(name, str(text)),
                           lambda problem: self._failed(name, str(problem)))
        picker.value = ""

    def _failed(self, name, problem):
        self._show("error", f"Not imported: {name}: {problem}. The form is unchanged.")

    def _imported(self, name, text):
        try:
            parsed = webext.to_py(webext.global_scope.JSON.parse(text))
        except Exception as problem:  # noqa: BLE001 -- JSON.parse's SyntaxError
            self._failed(name, f"not JSON ({problem})")
            return
        if not isinstance(parsed, dict):
            self._failed(name, "not a JSON object")
            return
        page = self.page
        managed_fields = page.managed()[1]
        ignored = [field for field in parsed if field in managed_fields]
        local = local_part(parsed, managed_fields)
        page.form.write(model.form_values(page.merged(local)))
        page.dirty = True
        page.live = True
        errors = page.check(local)[1]
        page.form.show_errors(errors)
        note = (" Settings the policy manages were ignored: " + ", ".join(ignored) + ".") if ignored else ""
        if errors:
            self._show("invalid", f"Imported {name} with {len(errors)} problem(s), shown below; nothing is saved "
                                  f"until they are fixed and you click Save.{note}")
        else:
            self._show("imported", f"Imported {name}: it is valid. Review it and click Save to use it.{note}")
        page.set_status("idle", "")
