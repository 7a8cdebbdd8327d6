"""Options page entry point: the configuration form, import/export and log download (platform.pages)."""
from grccp.platform.pages.options_page import OptionsPage

OptionsPage().start()
