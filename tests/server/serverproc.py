"""A real ``assessor-server`` process on a free 127.0.0.1 port, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa

from assessor_app.server import db
from assessor_app.server.admin import Admin

PG_ENV = "ASSESSOR_TEST_PG_URL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, data: Path, env=None, check=True) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "assessor_app.server.cli", *map(str, args),
                          "--data", str(data)], capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    if check and run.returncode != 0:
        raise AssertionError(run.stdout + run.stderr)
    return run


class ServerProcess:
    def __init__(self, root: Path, backend: str, env: dict | None = None, workers: int = 1):
        self.root = Path(root)
        self.backend = backend
        self.data = self.root / "server"
        self.env = env or {}
        self.pg_db = None
        url_args = []
        if backend == "postgres":
            base = os.environ[PG_ENV]
            self.pg_db = f"assessor_t_{uuid.uuid4().hex[:10]}"
            admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.exec_driver_sql(f'CREATE DATABASE "{self.pg_db}"')
            admin.dispose()
            self.pg_base = base
            url_args = ["--database-url", base.rsplit("/", 1)[0] + "/" + self.pg_db]
        run_cli("init", *url_args, data=self.data)
        from assessor_app.server.config import ServerConfig
        self.config = ServerConfig.load(self.data)
        self.database = db.Database(self.config.database_url)
        self.admin = Admin(self.database, self.data)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.root / "server.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assessor_app.server.cli", "serve", "--data", str(self.data),
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **self.env})
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/v1/meta", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError((self.root / "server.log").read_text())
            time.sleep(0.1)

    def code(self, name: str, role: str = "inspector", team: str = "team-a", hours=1) -> str:
        names = {u["name"] for u in self.admin.list_users()}
        if name not in names:
            self.admin.add_user(name, role, team)
        return self.admin.issue_code(name, hours)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        self.database.dispose()
        if self.pg_db:
            admin = sa.create_engine(self.pg_base, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.pg_db}" WITH (FORCE)')
            admin.dispose()
