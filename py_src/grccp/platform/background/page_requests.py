"""The background's answers to the extension's pages (popup, options), registered on the BackgroundEngine with
install(engine) before engine.start():

  popup:download-logs  flush the logs to storage, answer bg:log-export (which chunks hold each region's log,
                       under which file name, filtered or not); the page reads and saves them (pages.log_download);
                       until popup:log-export-done, nothing it reads is deleted
  options:get-config   bg:config-state: the stored local configuration, the enterprise policy, which top-level
                       fields it manages, the configuration in force and why a stored one was refused
  options:save-config  validate the local configuration with the policy over it (as the engine will apply it);
                       store it only if valid (bg:save-result with every FieldError otherwise)
  options:check-config the configuration check of the configuration in force (config_probe): bg:config-check
                       with its findings
  popup:sign-in        the one sign-in window, opened (or brought to the front) for a region's sign-in
  popup:switch-now     the agent confirmed Switch now for the pending failover to a region: the engine asks the
                       tabs showing the active region to end it (bg:switch-now-result)
  popup:manual-failover the administrator's manual failover to a region, confirmed (manual_failover): switched
                       in every tab, or why not, the region already active a no-op (bg:manual-failover-result)

Only the extension's own pages may send these (a content script runs inside web pages)."""
from grccp.core import logs
from grccp.core.config import log_name_errors
from grccp.core.effective_config import effective_config, local_to_store
from grccp.core.errors import FieldError
from grccp.core.runtime_messages import make_message
from grccp.platform.shared import storage, webext
from grccp.platform.shared.public_suffix_list import public_suffixes

from . import config_probe, manual_failover


def install(engine):
    handlers = _Handlers(engine)
    engine.handle("popup:download-logs", handlers.download_logs)
    engine.handle("popup:log-export-done", handlers.log_export_done)
    engine.handle("options:get-config", handlers.get_config)
    engine.handle("options:save-config", handlers.save_config)
    engine.handle("options:check-config", handlers.check_config)
    engine.handle("popup:sign-in", handlers.sign_in)
    engine.handle("popup:switch-now", handlers.switch_now)
    engine.handle("popup:manual-failover", handlers.manual_failover)
    return handlers


def _from_extension_page(sender):
    return (sender.get("url") or "").startswith(webext.extension_url(""))


def _errors(errors):
    return [error.to_dict() for error in errors]


class _Handlers:
    def __init__(self, engine):
        self.engine = engine

    def _refuse(self, sender, respond):
        if _from_extension_page(sender):
            return False
        respond(make_message("bg:error", error="only the extension's pages may ask this"))
        return True

    def download_logs(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        config, store = self.engine.configuration().config, self.engine.logs
        if config is None or store is None:
            respond(make_message("bg:error", error="not configured: there are no logs to download"))
            return False
        log_name = fields.get("logName")
        if log_name is None:
            log_name = config.logs["logName"]
        problems = log_name_errors(log_name)
        if problems:
            respond(make_message("bg:error", error=f"log name {problems[0].message}"))
            return False
        filter_by_level = fields.get("filterByLogLevel")
        if filter_by_level is None:
            filter_by_level = config.logs["filterByLogLevel"]

        def flushed():
            files = []
            for region in config.regions:
                plan = store.export_plan(region.key) or {"chunks": [], "open": "", "skip": 0, "count": 0}
                files.append(dict(plan, region=region.key, fileName=logs.log_file_name(region.key, log_name)))
            respond(make_message("bg:log-export", files=files, filterByLogLevel=filter_by_level,
                                 exportId=store.begin_export()))
        store.flush(flushed)
        return True

    def log_export_done(self, fields, sender, respond):
        if self._refuse(sender, respond) or self.engine.logs is None:
            return False
        self.engine.logs.end_export(fields["exportId"])
        return False

    def get_config(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        settings = self.engine.configuration()
        local = settings.local if isinstance(settings.local, dict) else None
        managed = settings.managed if isinstance(settings.managed, dict) else None
        errors = list(settings.errors)
        if settings.local is not None and local is None:
            errors.append(FieldError("", "type", "the stored configuration is not an object"))
        respond(make_message("bg:config-state", local=local, managed=managed,
                             managedFields=[str(name) for name in settings.managed_fields],
                             effective=settings.config.to_dict() if settings.config is not None else None,
                             errors=_errors(errors)))
        return False

    def save_config(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        submitted = fields["config"]
        if not isinstance(submitted, dict):
            respond(make_message("bg:save-result", ok=False,
                                 errors=_errors([FieldError("", "type", "the configuration must be an object")])))
            return False
        local, checked = self._as_saved(submitted)
        if checked.errors:
            respond(make_message("bg:save-result", ok=False, errors=_errors(checked.errors)))
            return False

        def stored(error):
            if error:
                respond(make_message("bg:save-result", ok=False,
                                     errors=_errors([FieldError("", "storage", f"not stored: {error}")])))
            else:
                respond(make_message("bg:save-result", ok=True, errors=[]))
        storage.set_items("local", {"config": local}, stored)
        return True

    def _as_saved(self, submitted):
        """(the local configuration to store, the effective configuration it makes) of a submitted one, with the
        policy over it, as the engine will apply it."""
        settings = self.engine.configuration()
        managed = settings.managed if isinstance(settings.managed, dict) else None
        local = local_to_store(submitted, settings.local, managed)
        return local, effective_config(local, managed, public_suffixes())

    def check_config(self, fields, sender, respond):
        """The configuration just saved (the page sends it: the engine may not have applied it yet), or the one
        in force."""
        if self._refuse(sender, respond):
            return False
        submitted = fields.get("config")
        if submitted is None:
            config = self.engine.configuration().config
        else:
            checked = self._as_saved(submitted) if isinstance(submitted, dict) else None
            config = checked[1].config if checked else None
        if config is None:
            respond(make_message("bg:error", error="there is no valid configuration to check"))
            return False
        config_probe.check(config, lambda findings: respond(make_message("bg:config-check", findings=findings)))
        return True

    def sign_in(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        if not self.engine.open_sign_in(fields["region"]):
            respond(make_message("bg:error", error=f"{fields['region']} is not a configured region"))
        return False

    def switch_now(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        error = self.engine.switch_now(fields["region"])
        respond(make_message("bg:switch-now-result", ok=error is None, error=error))
        return False

    def manual_failover(self, fields, sender, respond):
        if self._refuse(sender, respond):
            return False
        problem = manual_failover.fail_over(self.engine, fields["region"], "popup")
        respond(make_message("bg:manual-failover-result", switched=problem is None,
                             message=problem or f"switched to {fields['region']} in every tab"))
        return False
