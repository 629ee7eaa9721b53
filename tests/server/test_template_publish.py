"""A supervisor publishes a new template version from the app; a second laptop receives it on
its next sync. Inspectors cannot publish. Real server process on 127.0.0.1."""

from __future__ import annotations

import copy

import pytest

from assessor_app.store.templates import next_version
from assessor_app.sync import SyncClient, SyncRejected
from assessor_app.sync.publish import publish_template


def _new_version(store, tag: str = "7"):
    body = copy.deepcopy(store.get_template("mini").body)
    body["version"] = next_version(body["version"]) + "." + str(int(tag, 16) % 100000)
    body["sections"][0]["items"][0]["weight"] = 4
    return store.save_template_version(body)


def test_published_version_reaches_a_second_laptop(server, laptops):
    supervisor = laptops.new("sari", role="supervisor")
    inspector = laptops.new("budi")
    template = _new_version(supervisor, laptops.tag)
    result = publish_template(supervisor, template)
    assert result == {"id": "mini", "version": template.version, "hash": template.hash, "new": True}
    assert publish_template(supervisor, template)["new"] is False      # same content: a no-op
    with SyncClient(inspector) as client:
        client.sync()
    got = inspector.get_template("mini", template.version)
    assert got.hash == template.hash and got.items[template.body["sections"][0]["items"][0]["id"]].weight == 4


def test_an_inspector_cannot_publish_and_other_content_is_refused(server, laptops):
    inspector = laptops.new("rina")
    template = _new_version(inspector, laptops.tag)
    with pytest.raises(SyncRejected, match="supervisor or an administrator"):
        publish_template(inspector, template)
    supervisor = laptops.new("sari", role="supervisor")
    body = copy.deepcopy(template.body)
    supervisor.save_template_version(body)
    publish_template(supervisor, supervisor.get_template("mini", body["version"]))
    other = laptops.new("sari2", role="supervisor")
    body["sections"][0]["items"][0]["weight"] = 7
    other.save_template_version(body)
    with pytest.raises(SyncRejected, match="already published with different content"):
        publish_template(other, other.get_template("mini", body["version"]))


def test_server_command_publishes_an_xlsform(server, laptops, tmp_path):
    from assessor_app.templates.xlsform import export_xlsform
    inspector = laptops.new("dewi")
    body = copy.deepcopy(inspector.get_template("mini").body)
    body["version"] = "9.3." + laptops.tag[:3].replace("-", "0")
    body["version"] = "".join(ch for ch in body["version"] if ch.isalnum() or ch == ".")
    form = tmp_path / "mini.xlsx"
    from assessor_app.templates.loader import build_template
    form.write_bytes(export_xlsform(build_template(body)))
    result = server.admin.publish_template(form)
    assert result["new"] is True and result["version"] == body["version"]
    with SyncClient(inspector) as client:
        client.sync()
    assert inspector.get_template("mini", body["version"]).hash == result["hash"]


def test_cli_publish_from_a_supervisor_laptop(server, laptops, capsys):
    from assessor_app.cli import main
    supervisor = laptops.new("wati", role="supervisor")
    template = _new_version(supervisor, laptops.tag)
    folder = str(supervisor.data_dir)
    assert main(["--lang", "en", "--data-dir", folder, "templates", "publish", "mini",
                 "--version", template.version]) == 0
    assert "published mini" in capsys.readouterr().out
    assert main(["--lang", "en", "--data-dir", folder, "templates", "publish", "mini",
                 "--version", template.version]) == 0
    assert "already published" in capsys.readouterr().out
