"""The options page: the configuration form (options_form), checked by the configuration's own validator with the
enterprise policy over it (core.effective_config) and inline messages naming the field and the rule; Save asks
the browser for access to exactly the allowlisted pages, CCP and sign-in origins (config.host_permission_patterns;
the request must run in the Save click's user gesture, so everything before it is synchronous), and only then
hands the configuration to the background (options:save-config), which checks it again and stores it. Invalid
input and refused access store nothing: the configuration in force stays. Settings an enterprise policy sets are
shown read-only. Import/export as JSON (config_transfer); the configuration check, by button and after every
save (config_check_view); log download with a custom name.

Element ids: #stored-errors, #save, #revert, #status[data-state=idle|loading|invalid|asking|refused|saving|saved|
error][data-origins], #managed-banner, #export, #import-file, #transfer-status[data-state], #download-log-name,
#download-log-name-error, #download-filter, #download-logs, #download-status[data-state]; the form's: see
options_form."""
from grccp.core import options_model as model
from grccp.core.config import api_permissions, host_permission_patterns, log_name_errors
from grccp.core.effective_config import effective_config, merge_managed
from grccp.core.errors import MessageError
from grccp.core.runtime_messages import make_message, parse_reply
from grccp.platform.shared import clock, permissions, runtime_channel, storage
from grccp.platform.shared.public_suffix_list import public_suffixes

from . import dom, log_download, policy_read
from .config_check_view import ConfigCheckView
from .config_transfer import ConfigTransfer
from .options_form import ConfigForm

POLICY_RECHECK_MS = 300
POLICY_RECHECKS = 20


class OptionsPage:
    def __init__(self):
        self.app = dom.by_id("app")
        self.status = dom.by_id("status")
        self.form = ConfigForm()
        self.transfer = ConfigTransfer(self)
        self.config_check = ConfigCheckView()
        self.state = None           # the last bg:config-state fields
        self.dirty = False
        self.live = False           # re-check on every change once problems were shown
        self.busy = False
        self.page_policy = None     # the enterprise policy as this page reads it (None: none)
        self._policy_rechecks = 0

    def start(self):
        self.form.build()
        form = dom.by_id("config-form")
        dom.on(form, "submit", self._on_submit)
        dom.on(form, "input", self._on_edit)
        dom.on(form, "change", self._on_edit)
        dom.on(dom.by_id("revert"), "click", lambda event: self.load())
        self.transfer.start()
        self.config_check.start()
        dom.on(dom.by_id("download-logs"), "click", lambda event: self._download_logs())
        storage.on_changed(self._on_storage_changed)
        policy_read.read_policy(self._got_policy)
        self.load()

    # the enterprise policy ----------------------------------------------------------------------------------
    def _got_policy(self, policy):
        """Reloads until the background's view of the policy is this page's (policy_read)."""
        self.page_policy = policy
        self._policy_rechecks = POLICY_RECHECKS
        self._policy_check()

    def _policy_check(self):
        if self.state is None or self.dirty or self.busy or self._policy_rechecks <= 0:
            return
        if (self.state.get("managed") or None) != self.page_policy:
            self._policy_rechecks -= 1
            clock.call_later(POLICY_RECHECK_MS, lambda: self.load(keep_status=True))

    def managed(self):
        """(the policy, the top-level fields it manages) as the background last said."""
        return (self.state or {}).get("managed"), list((self.state or {}).get("managedFields") or [])

    def merged(self, local):
        """local with the policy's top-level fields over it (what the background will apply)."""
        return merge_managed(local if isinstance(local, dict) else None, self.managed()[0])[0]

    def check(self, local):
        """(Config or None, FieldErrors) of a local configuration with the policy over it."""
        checked = effective_config(local, self.managed()[0], public_suffixes())
        return checked.config, checked.errors

    # loading -----------------------------------------------------------------------------------------------
    def load(self, keep_status=False):
        """Shows the configuration as the background has it; keep_status: leave the status line as it is (a
        reload because storage changed must not wipe "Saved.")."""
        after = None
        shown = str(self.status.getAttribute("data-state") or "idle")
        if keep_status and shown != "loading":
            after = (shown, str(self.status.textContent))
        elif not keep_status:
            self.set_status("loading", "Loading the configuration…")
        runtime_channel.send(make_message("options:get-config"), lambda reply, error: self._loaded(reply, error,
                                                                                                  after))

    def _loaded(self, reply, error, after=None):
        """Shows a bg:config-state; `after` = (status state, text) to show once loaded."""
        try:
            fields = parse_reply(reply, error, "bg:config-state")
        except MessageError as problem:
            self.set_status("error", f"Could not load the configuration: {problem}")
            return
        self.state = fields
        clock.call_later(0, self._policy_check)
        managed_fields = self.managed()[1]
        self.form.write(model.form_values(self.merged(fields["local"])))
        self.form.set_managed(managed_fields)
        dom.set_hidden(dom.by_id("managed-banner"), not managed_fields)
        logs = (fields["effective"] or {}).get("logs") or {}
        dom.by_id("download-log-name").value = logs.get("logName") or "agent-log"
        dom.by_id("download-filter").checked = bool(logs.get("filterByLogLevel"))
        self.dirty = False
        stored_errors = fields["errors"]
        self.live = bool(stored_errors)
        self.form.show_errors(stored_errors)
        summary = dom.by_id("stored-errors")
        dom.set_hidden(summary, not stored_errors)
        dom.set_text(summary, f"The saved configuration is not in force: it has {len(stored_errors)} problem(s), "
                              f"shown below. The extension does nothing until it is fixed and saved."
                     if stored_errors else "")
        dom.set_attr(self.app, "data-state", "ready")
        if after is not None:
            self.set_status(*after)
        elif fields["effective"] is None and not stored_errors:
            self.set_status("idle", "Not configured yet.")
        else:
            self.set_status("idle", "")

    def _on_storage_changed(self, area, changes):
        if area == "managed":
            policy_read.read_policy(self._got_policy)
        if (area == "local" and "config" in changes) or area == "managed":
            if not self.dirty and not self.busy:
                self.load(keep_status=True)
            elif area == "managed":
                self.set_status("idle", "The enterprise policy changed: click Revert to see it.")

    # checking ---------------------------------------------------------------------------------------------
    def _on_edit(self, event):
        self.dirty = True
        if self.form.is_protocol_choice(event.target):
            self.form.show_protocol()
        if self.live:
            self.form.show_errors(self.check(self.form.config_object(self.managed()[1]))[1])

    def set_status(self, state, text, origins=None):
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
        config_obj = self.form.config_object(self.managed()[1])
        config, errors = self.check(config_obj)
        self.form.show_errors(errors)
        if errors:
            self.live = True
            self.set_status("invalid", f"Not saved: {len(errors)} problem(s) to fix. The configuration in force "
                                       "is unchanged.")
            self.form.focus_first(errors)
            return
        origins = host_permission_patterns(config)
        asked = ", ".join(origins) + (" and to show notifications" if api_permissions(config) else "")
        self.busy = True
        self.set_status("asking", f"Asking the browser for access to {asked}…", origins)
        permissions.request(origins, api_permissions(config),
                            lambda granted, error: self._permission_answer(config_obj, asked, granted, error))

    def _permission_answer(self, config_obj, asked, granted, error):
        if not granted:
            self.busy = False
            reason = f" ({error})" if error else ""
            self.set_status("refused", f"Not saved: the browser did not grant access to {asked}{reason}. Without "
                                       "it nothing is embedded; the configuration in force is unchanged.")
            return
        self.set_status("saving", "Saving…")
        runtime_channel.send(make_message("options:save-config", config=config_obj),
                             lambda reply, error: self._saved(config_obj, reply, error))

    def _saved(self, config_obj, reply, error):
        self.busy = False
        try:
            fields = parse_reply(reply, error, "bg:save-result")
        except MessageError as problem:
            self.set_status("error", f"Not saved: {problem}")
            return
        if not fields["ok"]:
            self.live = True
            self.form.show_errors(fields["errors"])
            self.set_status("invalid", f"Not saved: {len(fields['errors'])} problem(s) to fix. The configuration "
                                       "in force is unchanged.")
            return
        self.dirty = False
        self.live = False
        saved = ("saved", "Saved. The extension uses the new configuration now.")
        self.set_status(*saved)
        runtime_channel.send(make_message("options:get-config"), lambda reply, error: self._loaded(reply, error, saved))
        self.config_check.run(config_obj)

    # logs -------------------------------------------------------------------------------------------------
    def _download_logs(self):
        name_input = dom.by_id("download-log-name")
        log_name = str(name_input.value).strip() or "agent-log"
        problems = log_name_errors(log_name)
        dom.set_text(dom.by_id("download-log-name-error"),
                     " ".join(f"Log name: {error.message} (rule: {error.rule})" for error in problems))
        dom.set_attr(name_input, "aria-invalid", "true" if problems else None)
        if problems:
            return
        button = dom.by_id("download-logs")

        def finished():
            button.disabled = False
        log_download.download_with_status(button, dom.by_id("download-status"), finished, log_name=log_name,
                                          filter_by_level=bool(dom.by_id("download-filter").checked))
