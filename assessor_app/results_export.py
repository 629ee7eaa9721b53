"""Tables of results as people read them, and streaming CSV/XLSX writers.

:func:`ranking_table` is the one place that turns :class:`assessor_app.results.RoundResults`
into the ranking rows shown on the office web page, written to CSV/XLSX exports and printed in
the government report, so the three cannot disagree. :func:`write_table` streams any number of
rows (XlsxWriter in constant-memory mode, or the csv writer): memory stays flat for 800,000
rows. (XlsxWriter rather than openpyxl's write-only mode: it writes the same rows about a
quarter faster; openpyxl still reads register files.)
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Iterable, Sequence

from .errors import UserError
from .i18n import N_, translate as _, zone_label

RANKING_COLUMNS = (N_("Category"), N_("Rank"), N_("Of"), N_("Government"), N_("Province"),
                   N_("Score"), N_("Grade"), N_("Zone"), N_("Change"), N_("Units scored"),
                   N_("Units missing"))


def ranking_table(results, category: str | None = None, lang: str | None = None,
                  province: str | None = None) -> tuple[list[str], list[list]]:
    """Header (translated) and rows with machine values: score and change as floats rounded to
    two decimals, rank as an int (None when the government has no score)."""
    header = [_(c, lang) for c in RANKING_COLUMNS]
    rows = []
    for g in results.by_category(category):
        if province and g.government.province != province:
            continue
        rows.append([g.government.category, g.rank, g.of if g.rank else None, g.government.name,
                     g.government.province,
                     float(g.score) if g.score is not None else None,
                     g.band.id if g.band else None,
                     zone_label(g.band.zone, lang) if g.band else None,
                     float(g.change) if g.change is not None else None,
                     g.scored_units, g.missing_units])
    return header, rows


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence],
                sheet: str = "results") -> int:
    """Write ``rows`` to ``path`` (.csv or .xlsx, by suffix) without holding them in memory.
    The file appears whole or not at all (temp file, then rename). Returns the row count."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UserError(_("The export file must end in .csv or .xlsx"))
    tmp = path.with_name(path.name + ".part")
    n = 0
    try:
        if suffix == ".csv":
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                for r in rows:
                    w.writerow(["" if v is None else v for v in r])
                    n += 1
        else:
            import xlsxwriter
            wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False,
                                                "strings_to_formulas": False, "strings_to_urls": False})
            ws = wb.add_worksheet(sheet[:31])
            ws.write_row(0, 0, list(header))
            for r in rows:
                n += 1
                ws.write_row(n, 0, list(r))
            wb.close()
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("Could not write {path}: {error}").format(path=path, error=exc.strerror)) from None
    return n
