"""The office web pages (server-rendered HTML, see pages.py)."""
