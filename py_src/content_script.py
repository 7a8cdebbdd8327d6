"""Content script entry point: runs on allowlisted pages only (registered at run time by the background)."""
from grccp.platform.content.tab_host import TabHost

TabHost().start()
