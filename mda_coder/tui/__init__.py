"""The Textual coding workspace (the only package besides ``cli`` that imports a UI framework)."""
