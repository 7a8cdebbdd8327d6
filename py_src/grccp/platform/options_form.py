"""The options page: a form for every setting of the configuration schema (core.options_model.FIELDS), checked
by the configuration's own validator with inline messages naming the field and the rule; Save asks the browser
for access to exactly the allowlisted pages, CCP and sign-in origins (config.host_permission_patterns; the
request must run in the Save click's user gesture, so everything before it is synchronous), and only then
hands the configuration to the background (options:save-config), which checks it again with the enterprise
policy over it and stores it. Invalid input and refused access store nothing: the configuration in force stays.
Settings an enterprise policy sets are shown read-only. Import/export as JSON; log download with a custom name.

Element ids: field inputs "f-<path with - for />" (#f-regions-1-instanceArn, #f-allowlist, #f-timeouts-ccpAckTimeout,
...), their messages "<input id>-error"; #form-errors (problems not tied to a field), #stored-errors, #save,
#revert, #status[data-state=idle|loading|invalid|asking|refused|saving|saved|error][data-origins],
#managed-banner, .field[data-managed], #export, #import-file, #transfer-status[data-state], #download-log-name,
#download-log-name-error, #download-filter, #download-logs, #download-status[data-state]."""
from grccp.core import options_model as model
from grccp.core.config import host_permission_patterns
from grccp.core.effective_config import effective_config, local_part, merge_managed
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply

from . import clock, dom, downloads, runtime_channel, storage, webext

EXPORT_FILE_NAME = "gr-ccp-configuration.json"
POLICY_RECHECK_MS = 300
POLICY_RECHECKS = 20


def _request_permissions(origins, on_answer):
    """chrome.permissions.request for host origins; on_answer(granted bool, error message or None). Must be
    called synchronously from a user gesture."""
    def answered(granted=None, *_):
        error = webext.last_error()
        on_answer(bool(granted) and error is None, error)
    try:
        webext.api.permissions.request(webext.to_js({"origins": origins}), answered)
    except Exception as problem:  # noqa: BLE001 -- Firefox throws outside a user gesture
        on_answer(False, str(problem))


class OptionsPage:
    def __init__(self):
        self.app = dom.by_id("app")
        self.form = dom.by_id("config-form")
        self.status = dom.by_id("status")
        self.inputs = {}
        self.messages = {}
        self.wrappers = {}
        self.state = None           # the last bg:config-state fields
        self.dirty = False
        self.live = False           # re-check on every change once problems were shown
        self.busy = False
        self.page_policy = None     # the enterprise policy as this page reads it (None: none)
        self._policy_rechecks = 0

    # building --------------------------------------------------------------------------------------------
    def start(self):
        self._build()
        dom.on(self.form, "submit", self._on_submit)
        dom.on(self.form, "input", self._on_edit)
        dom.on(self.form, "change", self._on_edit)
        dom.on(dom.by_id("revert"), "click", lambda event: self.load())
        dom.on(dom.by_id("export"), "click", lambda event: self._export())
        dom.on(dom.by_id("import-file"), "change", self._on_import)
        dom.on(dom.by_id("download-logs"), "click", lambda event: self._download_logs())
        storage.on_changed(self._on_storage_changed)
        self._read_policy()
        self.load()

    def _read_policy(self):
        """Reads the enterprise policy here too: Chromium can hold the background's reads of it until an
        extension page reads it (then it answers them all), so the page reads it, again every POLICY_RECHECK_MS
        until a read is answered, and reloads until the background's view of the policy is this one."""
        answered = [False]

        def got(managed, error):
            answered[0] = True
            self.page_policy = managed or None
            self._policy_rechecks = POLICY_RECHECKS
            self._policy_check()

        def read(attempts):
            if not answered[0] and attempts > 0:
                storage.get_all("managed", got)
                clock.call_later(POLICY_RECHECK_MS * 3, lambda: read(attempts - 1))
        read(POLICY_RECHECKS)

    def _policy_check(self):
        if self.state is None or self.dirty or self.busy or self._policy_rechecks <= 0:
            return
        if (self.state.get("managed") or None) != self.page_policy:
            self._policy_rechecks -= 1
            clock.call_later(POLICY_RECHECK_MS, lambda: self.load(keep_status=True))

    def _build(self):
        root = dom.by_id("fields")
        dom.clear(root)
        for name, title, help_text in model.SECTIONS:
            section = dom.el("fieldset", "section", ident=f"section-{name}")
            section.appendChild(dom.el("legend", text=title))
            section.appendChild(dom.el("p", "muted section-help", text=help_text))
            grid = dom.el("div", "fields")
            for field in model.FIELDS:
                if field.section == name:
                    grid.appendChild(self._field(field))
            section.appendChild(grid)
            root.appendChild(section)

    def _field(self, field):
        ident = field.ident
        has_help = bool(field.help or field.protocol_help)
        described = f"{ident}-help {ident}-error" if has_help else f"{ident}-error"
        common = {"aria-describedby": described, "name": field.path}
        if field.kind == "boolean":
            control = dom.el("input", ident=ident, attrs=dict(common, type="checkbox"))
        elif field.kind == "choice":
            control = dom.el("select", ident=ident, attrs=common)
            for value, label in field.choices:
                control.appendChild(dom.el("option", text=label, attrs={"value": value}))
        elif field.kind == "lines":
            control = dom.el("textarea", ident=ident, attrs=dict(common, rows="4", spellcheck="false",
                                                                 placeholder=field.placeholder or None))
        else:
            control = dom.el("input", ident=ident, attrs=dict(
                common, type="text", spellcheck="false", autocomplete="off",
                inputmode="numeric" if field.kind == "integer" else None,
                placeholder=field.placeholder or None))
        label = dom.el("label", text=field.label, attrs={"for": ident})
        managed_tag = dom.el("span", "managed-tag", text="Managed", attrs={"hidden": True})
        label.appendChild(managed_tag)
        kind_class = "field check" if field.kind == "boolean" else f"field {field.kind}"
        wrapper = dom.el("div", kind_class, attrs={"data-path": field.path})
        if field.kind == "boolean":
            wrapper.appendChild(control)
            wrapper.appendChild(label)
        else:
            wrapper.appendChild(label)
            wrapper.appendChild(control)
        if has_help:
            wrapper.appendChild(dom.el("p", "help", text=field.help, ident=f"{ident}-help"))
        message = dom.el("p", "error", ident=f"{ident}-error")
        wrapper.appendChild(message)
        self.inputs[field.path] = control
        self.messages[field.path] = message
        self.wrappers[field.path] = wrapper
        return wrapper

    # values -------------------------------------------------------------------------------------------------
    def _read(self):
        values = {}
        for field in model.FIELDS:
            control = self.inputs[field.path]
            values[field.path] = bool(control.checked) if field.kind == "boolean" else str(control.value)
        return values

    def _write(self, values):
        for field in model.FIELDS:
            control = self.inputs[field.path]
            if field.kind == "boolean":
                control.checked = bool(values[field.path])
            else:
                control.value = values[field.path]
        self._show_protocol()

    def _show_protocol(self):
        """What each field asks in the protocol chosen: required marks and help texts."""
        protocol = str(self.inputs[model.PROTOCOL_FIELD].value)
        dom.set_attr(self.app, "data-protocol", protocol)
        for field in model.FIELDS:
            if field.kind in ("text", "lines", "integer"):
                self.inputs[field.path].required = field.required(protocol)
            if field.help or field.protocol_help:
                dom.set_text(dom.by_id(f"{field.ident}-help"), field.help_in(protocol))

    def _managed(self):
        return (self.state or {}).get("managed"), list((self.state or {}).get("managedFields") or [])

    def _merged(self, local):
        """local with the policy's top-level fields over it (what the background will apply)."""
        return merge_managed(local if isinstance(local, dict) else None, self._managed()[0])[0]

    # loading -----------------------------------------------------------------------------------------------
    def load(self, keep_status=False):
        """Shows the configuration as the background has it; keep_status: leave the status line as it is (a
        reload because storage changed must not wipe "Saved.")."""
        after = None
        shown = str(self.status.getAttribute("data-state") or "idle")
        if keep_status and shown != "loading":
            after = (shown, str(self.status.textContent))
        elif not keep_status:
            self._set_status("loading", "Loading the configuration…")
        runtime_channel.send(make_message("options:get-config"), lambda reply, error: self._loaded(reply, error,
                                                                                                  after))

    def _loaded(self, reply, error, after=None):
        """Shows a bg:config-state; `after` = (status state, text) to show once loaded."""
        try:
            fields = parse_reply(reply, error, "bg:config-state")
        except MessageError as problem:
            self._set_status("error", f"Could not load the configuration: {problem}")
            return
        self.state = fields
        clock.call_later(0, self._policy_check)
        managed, managed_fields = self._managed()
        self._write(model.form_values(self._merged(fields["local"])))
        for field in model.FIELDS:
            is_managed = field.top_level in managed_fields
            self.inputs[field.path].disabled = is_managed
            dom.set_attr(self.wrappers[field.path], "data-managed", "yes" if is_managed else None)
            dom.set_hidden(self.wrappers[field.path].querySelector(".managed-tag"), not is_managed)
        dom.set_hidden(dom.by_id("managed-banner"), not managed_fields)
        logs = (fields["effective"] or {}).get("logs") or {}
        dom.by_id("download-log-name").value = logs.get("logName") or "agent-log"
        dom.by_id("download-filter").checked = bool(logs.get("filterByLogLevel"))
        self.dirty = False
        stored_errors = fields["errors"]
        self.live = bool(stored_errors)
        self._show_errors(stored_errors)
        summary = dom.by_id("stored-errors")
        dom.set_hidden(summary, not stored_errors)
        dom.set_text(summary, f"The saved configuration is not in force: it has {len(stored_errors)} problem(s), "
                              f"shown below. The extension does nothing until it is fixed and saved."
                     if stored_errors else "")
        dom.set_attr(self.app, "data-state", "ready")
        if after is not None:
            self._set_status(*after)
        elif fields["effective"] is None and not stored_errors:
            self._set_status("idle", "Not configured yet.")
        else:
            self._set_status("idle", "")

    def _on_storage_changed(self, area, changes):
        if area == "managed":
            self._read_policy()
        if (area == "local" and "config" in changes) or area == "managed":
            if not self.dirty and not self.busy:
                self.load(keep_status=True)
            elif area == "managed":
                self._set_status("idle", "The enterprise policy changed: click Revert to see it.")

    # checking ---------------------------------------------------------------------------------------------
    def _check(self, local):
        """(Config or None, FieldErrors) of a local configuration with the policy over it."""
        checked = effective_config(local, self._managed()[0])
        return checked.config, checked.errors

    def _show_errors(self, errors):
        inline, general = model.errors_by_field(errors)
        for path, message in self.messages.items():
            texts = inline.get(path, [])
            dom.set_text(message, "\n".join(texts))
            dom.set_attr(self.inputs[path], "aria-invalid", "true" if texts else None)
            dom.set_attr(self.wrappers[path], "data-invalid", "yes" if texts else None)
        box = dom.by_id("form-errors")
        dom.clear(box)
        for text in general:
            box.appendChild(dom.el("p", text=text))
        dom.set_hidden(box, not general)

    def _on_edit(self, event):
        self.dirty = True
        if str(event.target.id) == model.field_id(model.PROTOCOL_FIELD):
            self._show_protocol()
        if self.live:
            config_obj = local_part(model.config_from_form(self._read()), self._managed()[1])
            self._show_errors(self._check(config_obj)[1])

    def _set_status(self, state, text, origins=None):
        dom.set_attr(self.status, "data-state", state)
        dom.set_text(self.status, text)
        if origins is not None:
            dom.set_attr(self.status, "data-origins", " ".join(origins))

    # saving -----------------------------------------------------------------------------------------------
    def _on_submit(self, event):
        """Everything up to permissions.request runs synchronously: the browser grants a request only inside
        the Save click (or Enter key) that caused it."""
        event.preventDefault()
        if self.busy or self.state is None:
            return
        _, managed_fields = self._managed()
        config_obj = local_part(model.config_from_form(self._read()), managed_fields)
        config, errors = self._check(config_obj)
        self._show_errors(errors)
        if errors:
            self.live = True
            self._set_status("invalid", f"Not saved: {len(errors)} problem(s) to fix. The configuration in force "
                                        "is unchanged.")
            first = model.field_of_error(errors[0].path)
            if first is not None and not self.inputs[first].disabled:
                self.inputs[first].focus()
            return
        origins = host_permission_patterns(config)
        self.busy = True
        self._set_status("asking", "Asking the browser for access to " + ", ".join(origins) + "…", origins)
        _request_permissions(origins, lambda granted, error: self._permission_answer(config_obj, origins, granted,
                                                                                    error))

    def _permission_answer(self, config_obj, origins, granted, error):
        if not granted:
            self.busy = False
            reason = f" ({error})" if error else ""
            self._set_status("refused", "Not saved: the browser did not grant access to " + ", ".join(origins)
                             + reason + ". Without it nothing is embedded; the configuration in force is unchanged.")
            return
        self._set_status("saving", "Saving…")
        runtime_channel.send(make_message("options:save-config", config=config_obj), self._saved)

    def _saved(self, reply, error):
        self.busy = False
        try:
            fields = parse_reply(reply, error, "bg:save-result")
        except MessageError as problem:
            self._set_status("error", f"Not saved: {problem}")
            return
        if not fields["ok"]:
            self.live = True
            self._show_errors(fields["errors"])
            self._set_status("invalid", f"Not saved: {len(fields['errors'])} problem(s) to fix. The configuration "
                                        "in force is unchanged.")
            return
        self.dirty = False
        self.live = False
        saved = ("saved", "Saved. The extension uses the new configuration now.")
        self._set_status(*saved)
        runtime_channel.send(make_message("options:get-config"), lambda reply, error: self._loaded(reply, error, saved))

    # import / export --------------------------------------------------------------------------------------
    def _export(self):
        config_obj = model.config_from_form(self._read())
        problems = len(self._check(local_part(config_obj, self._managed()[1]))[1])
        text = str(webext.global_scope.JSON.stringify(webext.to_js(config_obj), None, 2)) + "\n"
        transfer = dom.by_id("transfer-status")

        def saved(path, error):
            if error:
                dom.set_attr(transfer, "data-state", "error")
                dom.set_text(transfer, f"Not exported: {error}")
            else:
                dom.set_attr(transfer, "data-state", "exported")
                dom.set_text(transfer, f"Exported to {EXPORT_FILE_NAME}" + (
                    f" (the form has {problems} problem(s))" if problems else "") + ".")
        downloads.save_text(EXPORT_FILE_NAME, text, "application/json", saved)

    def _on_import(self, event):
        picker = dom.by_id("import-file")
        files = picker.files
        if not files.length:
            return
        chosen = files.item(0)
        name = str(chosen.name)
        chosen.text().then(lambda text: self._imported(name, str(text)),
                           lambda problem: self._import_failed(name, str(problem)))
        picker.value = ""

    def _import_failed(self, name, problem):
        transfer = dom.by_id("transfer-status")
        dom.set_attr(transfer, "data-state", "error")
        dom.set_text(transfer, f"Not imported: {name}: {problem}. The form is unchanged.")

    def _imported(self, name, text):
        try:
            parsed = webext.to_py(webext.global_scope.JSON.parse(text))
        except Exception as problem:  # noqa: BLE001 -- JSON.parse's SyntaxError
            self._import_failed(name, f"not JSON ({problem})")
            return
        if not isinstance(parsed, dict):
            self._import_failed(name, "not a JSON object")
            return
        _, managed_fields = self._managed()
        ignored = [field for field in parsed if field in managed_fields]
        local = local_part(parsed, managed_fields)
        self._write(model.form_values(self._merged(local)))
        self.dirty = True
        self.live = True
        errors = self._check(local)[1]
        self._show_errors(errors)
        transfer = dom.by_id("transfer-status")
        note = (" Settings the policy manages were ignored: " + ", ".join(ignored) + ".") if ignored else ""
        if errors:
            dom.set_attr(transfer, "data-state", "invalid")
            dom.set_text(transfer, f"Imported {name} with {len(errors)} problem(s), shown below; nothing is saved "
                                   f"until they are fixed and you click Save.{note}")
        else:
            dom.set_attr(transfer, "data-state", "imported")
            dom.set_text(transfer, f"Imported {name}: it is valid. Review it and click Save to use it.{note}")
        self._set_status("idle", "")

    # logs -------------------------------------------------------------------------------------------------
    def _download_logs(self):
        name_input = dom.by_id("download-log-name")
        message = dom.by_id("download-log-name-error")
        status = dom.by_id("download-status")
        log_name = str(name_input.value).strip() or "agent-log"
        problems = model.log_name_errors(log_name)
        dom.set_text(message, " ".join(f"Log name: {error.message} (rule: {error.rule})" for error in problems))
        dom.set_attr(name_input, "aria-invalid", "true" if problems else None)
        if problems:
            return
        button = dom.by_id("download-logs")
        button.disabled = True
        dom.set_attr(status, "data-state", "working")
        dom.set_text(status, "Saving the logs…")

        def done(result):
            button.disabled = False
            if result["errors"]:
                dom.set_attr(status, "data-state", "error")
                dom.set_text(status, "Not saved: " + "; ".join(result["errors"]))
            else:
                dom.set_attr(status, "data-state", "done")
                dom.set_text(status, "Saved " + ", ".join(result["files"]))
        downloads.download_logs(done, log_name=log_name, filter_by_level=bool(dom.by_id("download-filter").checked))
