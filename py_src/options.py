"""Options page entry point: the configuration form, import/export and log download (platform.pages), or the page
API's log download when the background opened it for one."""
from grccp.platform.pages import page_log_download
from grccp.platform.pages.options_page import OptionsPage

if not page_log_download.requested():
    OptionsPage().start()
