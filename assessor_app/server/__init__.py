"""The sync server (FastAPI on uvicorn, SQLAlchemy Core storage, Alembic migrations).

Never imports Qt. Modules: ``db`` (engine, tables, migrations), ``store`` (push, pull, review:
the protocol's rules), ``admin`` (users, codes, devices, templates, assignments), ``merge``
(field-by-field three-way merge), ``blobs`` (content-addressed files and resumable uploads),
``auth`` (tokens and codes, hashed), ``app`` + ``routes_*`` (HTTP), ``cli`` (``assessor-server``).
"""
