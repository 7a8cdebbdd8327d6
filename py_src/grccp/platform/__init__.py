"""The thin platform layer: the only code that touches chrome.*/browser.*, the DOM, timers and storage."""
