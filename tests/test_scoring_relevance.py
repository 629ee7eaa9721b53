"""scoring.relevance: the live relevance the desktop app uses agrees with score()."""

from pathlib import Path

from assessor_app.scoring import AnswerSheet, relevance, score
from assessor_app.templates.loader import load_template

MINI = Path(__file__).parent / "fixtures" / "templates" / "mini.yaml"


def test_relevance_matches_the_scoring_engine():
    t = load_template(MINI)
    for a2 in ("yes", "no", None):
        sheet = AnswerSheet({("a2", 0): a2} if a2 else {}, samples={"dim_b": 3})
        rel = relevance(t, sheet)
        assert rel[("a4", 0)] is (a2 == "yes")
        assert {k for k in rel if k[0] == "b1"} == {("b1", 0), ("b1", 1), ("b1", 2)}
        full = score(t, sheet)
        assert rel == {k: v.relevant for k, v in full.items.items()}
