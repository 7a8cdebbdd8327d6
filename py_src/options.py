"""Options page entry point: the configuration form, import/export and log download (platform.options_form)."""
from grccp.platform.options_form import OptionsPage

OptionsPage().start()
