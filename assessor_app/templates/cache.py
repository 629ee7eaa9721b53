"""Built templates kept per process, by hash.

A template version is immutable by its hash (the SHA-256 of its canonical JSON), so the object
built from a snapshot can serve every store, thread and assessment of the process: opening an
assessment does not rebuild its template (57 ms for 1,000 items) each time. Template objects are
frozen dataclasses and are only read, so sharing them between threads is safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .model import Template

MAX_TEMPLATES = 64          # a data folder holds a handful; a server may see more versions

_built: OrderedDict[str, Template] = OrderedDict()
_lock = threading.Lock()


def cached(digest: str) -> Template | None:
    """The template built for ``digest`` in this process, or None."""
    with _lock:
        template = _built.get(digest)
        if template is not None:
            _built.move_to_end(digest)
        return template


def remember(template: Template) -> Template:
    """Keep ``template`` for its hash; returns the object kept (the first one built wins, so
    every caller shares one object per hash)."""
    with _lock:
        kept = _built.get(template.hash)
        if kept is not None:
            _built.move_to_end(template.hash)
            return kept
        _built[template.hash] = template
        while len(_built) > MAX_TEMPLATES:
            _built.popitem(last=False)
        return template


def clear() -> None:
    """Forget every built template (tests, or a process that wants the memory back)."""
    with _lock:
        _built.clear()
