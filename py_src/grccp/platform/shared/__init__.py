"""Used by every context: the WebExtension API boundary and its thin wrappers, storage, messaging, time."""
