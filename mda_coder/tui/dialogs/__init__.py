"""Modal dialogs: pick a code, pick one of several items, write a memo."""
