"""The embedded database backend: Django's SQLite backend with queued writers (see base)."""
