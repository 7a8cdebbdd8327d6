"""The thin platform layer: the only code that touches chrome.*/browser.*, the DOM, timers and storage, grouped by
where it runs. Only shared/ calls the WebExtension API; each context imports shared/ and its own folder.

  shared/      every context: webext (the API's boundary and conversions), storage, runtime_channel, clock,
               log_archive (IndexedDB: the background writes, the pages read), and the thin wrappers of the
               other chrome.* APIs (windows, badge, scripting, permissions, downloads)
  content/     the content script on an allowlisted page: tab_session, ccp_panel, frame_messages
  background/  the service worker / event page: engine, message_router, sign_in_window, config_source, page_requests,
               content_scripts, log_store
  pages/       the popup and the options page: popup_view, options_page, options_form, config_transfer,
               log_download, log_files, policy_read, dom"""
