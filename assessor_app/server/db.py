"""The server database: engine, tables (SQLAlchemy Core) and the Alembic migration chain.

SQLite (WAL, synchronous=FULL) is the embedded default, in ``DATA/server.db``; PostgreSQL is
chosen with a ``postgresql+psycopg://`` URL. Writes go through :meth:`Database.write`, which on
SQLite starts with ``BEGIN IMMEDIATE`` so a read-then-write transaction never fails half-way.
Every committed change takes its sequence number from the single-row ``counter`` table inside
the same transaction (``UPDATE counter SET n=n+1 RETURNING n``): the row lock orders commits,
so a cursor never skips a change that committed late.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event

metadata = sa.MetaData()
T = sa.Text
I = sa.Integer
B = sa.BigInteger

meta = sa.Table("meta", metadata, sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", T, nullable=False))
counter = sa.Table("counter", metadata, sa.Column("id", I, primary_key=True),
                   sa.Column("n", B, nullable=False))
users = sa.Table("users", metadata,
                 sa.Column("id", I, primary_key=True, autoincrement=True),
                 sa.Column("name", sa.String(200), nullable=False, unique=True),
                 sa.Column("role", sa.String(20), nullable=False),
                 sa.Column("team", sa.String(200), nullable=False, server_default=""),
                 sa.Column("active", I, nullable=False, server_default="1"),
                 sa.Column("created_at", sa.String(40), nullable=False))
codes = sa.Table("enrol_codes", metadata,
                 sa.Column("code_hash", sa.String(64), primary_key=True),
                 sa.Column("user_id", I, sa.ForeignKey("users.id"), nullable=False),
                 sa.Column("expires_at", sa.String(40), nullable=False),
                 sa.Column("used_at", sa.String(40)),
                 sa.Column("device_id", sa.String(36)),
                 sa.Column("created_at", sa.String(40), nullable=False))
devices = sa.Table("devices", metadata,
                   sa.Column("id", sa.String(36), primary_key=True),
                   sa.Column("user_id", I, sa.ForeignKey("users.id"), nullable=False),
                   sa.Column("name", sa.String(200), nullable=False),
                   sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
                   sa.Column("nonce_hash", sa.String(64), nullable=False),
                   sa.Column("created_at", sa.String(40), nullable=False),
                   sa.Column("revoked_at", sa.String(40)),
                   sa.Column("last_seen", sa.String(40)))
templates = sa.Table("templates", metadata,
                     sa.Column("id", sa.String(100), primary_key=True),
                     sa.Column("version", sa.String(40), primary_key=True),
                     sa.Column("hash", sa.String(64), nullable=False),
                     sa.Column("body", T, nullable=False),
                     sa.Column("published_at", sa.String(40), nullable=False))
assignments = sa.Table("assignments", metadata,
                       sa.Column("id", sa.String(36), primary_key=True),
                       sa.Column("inspector_id", I, sa.ForeignKey("users.id"), nullable=False),
                       sa.Column("unit", T, nullable=False),
                       sa.Column("template_id", sa.String(100), nullable=False),
                       sa.Column("template_version", sa.String(40), nullable=False),
                       sa.Column("due_date", sa.String(40), nullable=False, server_default=""),
                       sa.Column("created_at", sa.String(40), nullable=False))
assessments = sa.Table("assessments", metadata,
                       sa.Column("uuid", sa.String(36), primary_key=True),
                       sa.Column("owner_id", I, sa.ForeignKey("users.id"), nullable=False),
                       sa.Column("rev", I, nullable=False),
                       sa.Column("status", sa.String(20), nullable=False),
                       sa.Column("content_hash", sa.String(64), nullable=False),
                       sa.Column("doc", T, nullable=False),
                       sa.Column("flags", T, nullable=False, server_default="[]"),
                       sa.Column("template_id", sa.String(100), nullable=False),
                       sa.Column("template_version", sa.String(40), nullable=False),
                       sa.Column("unit", sa.String(400), nullable=False, server_default=""),
                       sa.Column("evidence_count", I, nullable=False, server_default="0"),
                       sa.Column("updated_at", sa.String(40), nullable=False))
revisions = sa.Table("revisions", metadata,
                     sa.Column("uuid", sa.String(36), primary_key=True),
                     sa.Column("rev", I, primary_key=True),
                     sa.Column("base_rev", I, nullable=False),
                     sa.Column("sent_hash", sa.String(64), nullable=False),
                     sa.Column("content_hash", sa.String(64), nullable=False),
                     sa.Column("device_id", sa.String(36), nullable=False),
                     sa.Column("doc", T, nullable=False),
                     sa.Column("sent_doc", T),
                     sa.Column("answer", T, nullable=False),
                     sa.Column("at", sa.String(40), nullable=False))
assessment_blobs = sa.Table("assessment_blobs", metadata,
                            sa.Column("uuid", sa.String(36), primary_key=True),
                            sa.Column("sha256", sa.String(64), primary_key=True))
blobs = sa.Table("blobs", metadata,
                 sa.Column("sha256", sa.String(64), primary_key=True),
                 sa.Column("size", B, nullable=False),
                 sa.Column("at", sa.String(40), nullable=False))
comments = sa.Table("comments", metadata,
                    sa.Column("uuid", sa.String(36), primary_key=True),
                    sa.Column("assessment", sa.String(36), nullable=False, index=True),
                    sa.Column("author_id", I, sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("kind", sa.String(20), nullable=False),
                    sa.Column("text", T, nullable=False),
                    sa.Column("at", sa.String(40), nullable=False),
                    sa.Column("item", sa.String(64)),       # review comments anchored to an
                    sa.Column("sample", I),                 # item and sample (revision 0003)
                    sa.Column("rev", I))
changes = sa.Table("changes", metadata,
                   sa.Column("kind", sa.String(20), primary_key=True),
                   sa.Column("ref", sa.String(200), primary_key=True),
                   sa.Column("seq", B, nullable=False, unique=True),
                   sa.Column("owner_id", I),
                   sa.Column("team", sa.String(200)))
#: the signed report PDFs of an assessment (revision 0003): the inspector's ("signed", taken
#: from the pushed document) and the supervisor's countersigned one ("countersigned")
signed_reports = sa.Table("signed_reports", metadata,
                          sa.Column("uuid", sa.String(36), primary_key=True),
                          sa.Column("kind", sa.String(20), primary_key=True),
                          sa.Column("sha256", sa.String(64), nullable=False),
                          sa.Column("size", B, nullable=False),
                          sa.Column("rev", I, nullable=False),
                          sa.Column("by_id", I, sa.ForeignKey("users.id")),
                          sa.Column("at", sa.String(40), nullable=False))
crl = sa.Table("crl", metadata, sa.Column("id", I, primary_key=True),
               sa.Column("der", sa.LargeBinary, nullable=False),
               sa.Column("at", sa.String(40), nullable=False))
sa.Index("ix_assessment_blobs_sha256", assessment_blobs.c.sha256)     # issue 15 (0002)
# issue 15 (revision 0002): who uploaded which file. A device may reference a file in a push only
# when it uploaded those bytes itself or can already see an assessment that references them.
blob_owners = sa.Table("blob_owners", metadata,
                       sa.Column("sha256", sa.String(64), primary_key=True),
                       sa.Column("device_id", sa.String(36), primary_key=True, index=True),
                       sa.Column("size", B, nullable=False),
                       sa.Column("at", sa.String(40), nullable=False))

# -- rounds, the register of governments and units, office web logins (issue 10, rev 0004) ---
rounds = sa.Table("rounds", metadata,
                  sa.Column("id", sa.String(100), primary_key=True),
                  sa.Column("name", sa.String(200), nullable=False),
                  sa.Column("template_id", sa.String(100), nullable=False),
                  sa.Column("template_version", sa.String(40), nullable=False),
                  sa.Column("starts", sa.String(10), nullable=False, server_default=""),
                  sa.Column("ends", sa.String(10), nullable=False, server_default=""),
                  sa.Column("state", sa.String(20), nullable=False, server_default="planning"),
                  sa.Column("rule", sa.String(20), nullable=False, server_default="mean"),
                  sa.Column("min_units", I, nullable=False, server_default="1"),
                  sa.Column("previous_id", sa.String(100)),
                  sa.Column("created_at", sa.String(40), nullable=False))
governments = sa.Table("governments", metadata,
                       sa.Column("id", sa.String(100), primary_key=True),
                       sa.Column("name", sa.String(300), nullable=False),
                       sa.Column("category", sa.String(100), nullable=False),
                       sa.Column("province", sa.String(200), nullable=False, server_default=""),
                       sa.Column("team", sa.String(200), nullable=False, server_default=""),
                       sa.Column("updated_at", sa.String(40), nullable=False))
units = sa.Table("units", metadata,
                 sa.Column("id", sa.String(100), primary_key=True),
                 sa.Column("government_id", sa.String(100), sa.ForeignKey("governments.id"),
                           nullable=False, index=True),
                 sa.Column("name", sa.String(400), nullable=False),
                 sa.Column("address", T, nullable=False, server_default=""))
web_logins = sa.Table("web_logins", metadata,
                      sa.Column("user_id", I, sa.ForeignKey("users.id"), primary_key=True),
                      sa.Column("password_hash", sa.String(300), nullable=False))
web_sessions = sa.Table("web_sessions", metadata,
                        sa.Column("token_hash", sa.String(64), primary_key=True),
                        sa.Column("user_id", I, sa.ForeignKey("users.id"), nullable=False),
                        sa.Column("csrf", sa.String(64), nullable=False),
                        sa.Column("expires_at", sa.String(40), nullable=False))
# the facts results need of each stored revision (JSON: total, dimension scores, failed and
# scored item ids), kept apart from the large document so a round's results read little
assessment_facts = sa.Table("assessment_facts", metadata,
                            sa.Column("uuid", sa.String(36), primary_key=True),
                            sa.Column("facts", T, nullable=False))
# the assessments table gains (rev 0004) unit_id and round_id (register ids); the round index
# covers what results read, so SQLite never walks a document's overflow pages for them
assessments.append_column(sa.Column("unit_id", sa.String(100), index=True))
assessments.append_column(sa.Column("round_id", sa.String(100)))
sa.Index("ix_assessments_round", assessments.c.round_id, assessments.c.unit_id,
         assessments.c.status, assessments.c.updated_at, assessments.c.uuid)

# -- corrective actions and their states (issue 11, rev 0006) --------------------------------
corrective_actions = sa.Table(
    "corrective_actions", metadata,
    sa.Column("uuid", sa.String(36), primary_key=True),
    sa.Column("source", sa.String(20), nullable=False),            # finding | complaint
    sa.Column("unit_id", sa.String(400), nullable=False, index=True),
    sa.Column("government_id", sa.String(100), nullable=False, server_default="", index=True),
    sa.Column("team", sa.String(200), nullable=False, server_default=""),
    sa.Column("assessment", sa.String(36), nullable=False, server_default=""),
    sa.Column("item_id", sa.String(100), nullable=False, server_default=""),
    sa.Column("sample", I, nullable=False, server_default="0"),
    sa.Column("reference", sa.String(200), nullable=False, server_default=""),
    sa.Column("text", T, nullable=False),                           # JSON {id, en}
    sa.Column("finding", T, nullable=False, server_default=""),
    sa.Column("responsible", sa.String(300), nullable=False, server_default=""),
    sa.Column("due_date", sa.String(10), nullable=False, server_default="", index=True),
    sa.Column("state", sa.String(20), nullable=False, server_default="open", index=True),
    sa.Column("history", T, nullable=False, server_default="[]"),   # JSON list of changes
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False))
action_settings = sa.Table(
    "action_settings", metadata,
    sa.Column("round_id", sa.String(100), primary_key=True),
    sa.Column("partly_weight", sa.String(20), nullable=False, server_default="1/2"),
    sa.Column("include_complaints", I, nullable=False, server_default="1"))


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_engine(url: str) -> sa.Engine:
    """An engine with the house settings (SQLite: WAL, FULL sync, 30 s busy timeout)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                                  pool_size=8, max_overflow=32)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None     # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            immediate = conn.get_execution_options().get("immediate")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        return engine
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class Database:
    """The engine plus the two transaction helpers every storage function uses."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sqlite = url.startswith("sqlite")

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(immediate=True)
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def write_relaxed(self) -> Iterator[sa.Connection]:
        """A write whose commit need not survive a power cut (it is not fsynced): for records
        that can be rebuilt, such as who uploaded a file (lost, the device sends it again).
        SQLite: synchronous=NORMAL for this commit (WAL); PostgreSQL: synchronous_commit off."""
        with self.engine.connect() as conn:
            conn.execution_options(immediate=True)
            raw = conn.connection.driver_connection if self.sqlite else None
            if raw is not None:      # outside any transaction (SQLAlchemy would BEGIN first)
                raw.execute("PRAGMA synchronous=NORMAL")
            try:
                with conn.begin():
                    if raw is None:
                        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                    yield conn
            finally:
                if raw is not None:
                    raw.execute("PRAGMA synchronous=FULL")

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def next_seq(conn: sa.Connection) -> int:
    """Take the next change number inside the caller's transaction (see module docstring)."""
    return conn.execute(sa.update(counter).where(counter.c.id == 1)
                        .values(n=counter.c.n + 1).returning(counter.c.n)).scalar_one()


def record_change(conn: sa.Connection, kind: str, ref: str, owner_id: int | None = None,
                  team: str | None = None) -> int:
    """Stamp ``(kind, ref)`` with a new sequence number (one row per object: the feed is
    compacted, so a client that was away long pulls each object once, in its latest state)."""
    seq = next_seq(conn)
    conn.execute(sa.delete(changes).where(changes.c.kind == kind, changes.c.ref == ref))
    conn.execute(sa.insert(changes).values(kind=kind, ref=ref, seq=seq, owner_id=owner_id,
                                           team=team))
    return seq


# -- migrations -------------------------------------------------------------------------------
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (Alembic ``upgrade head``)."""
    from alembic import command
    command.upgrade(alembic_config(url), "head")


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(url: str) -> str:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()
# a closed round's frozen snapshot: its results' inputs (with the assessments' content hashes)
# and the rows computed from them, canonical JSON, and that JSON's SHA-256 (issue 10, rev 0010)
round_snapshots = sa.Table("round_snapshots", metadata,
                           sa.Column("round_id", sa.String(100), primary_key=True),
                           sa.Column("body", T, nullable=False),
                           sa.Column("sha256", sa.String(64), nullable=False),
                           sa.Column("taken_at", sa.String(40), nullable=False))
