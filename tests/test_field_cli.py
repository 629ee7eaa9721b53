"""`assessor --help` in one language; decimal commas in Indonesian messages (issue 12)."""

import pytest

from assessor_app.cli import main
from assessor_app.i18n import language, local_decimal, set_language


def test_help_is_in_one_language_whatever_the_language(capsys):
    set_language("id")
    try:
        with pytest.raises(SystemExit):
            main(["--help"])
        out = capsys.readouterr().out
        assert "checklist templates" in out and "usage:" in out
        for indonesian in ("kirim", "hubungkan", "berkas", "penugasan"):
            assert indonesian not in out
        assert language() == "id"                         # messages still follow the language
    finally:
        set_language("en")


def test_decimal_comma_in_indonesian_messages():
    assert local_decimal("12.5", "id") == "12,5"
    assert local_decimal("12.5", "en") == "12.5"
    from assessor_app.evidence.files import _too_large
    set_language("id")
    try:
        assert "(1,5 MB;" in _too_large(int(1.5 * 1048576))
    finally:
        set_language("en")
