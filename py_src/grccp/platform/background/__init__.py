"""The background (Chrome service worker, Firefox event page)."""
