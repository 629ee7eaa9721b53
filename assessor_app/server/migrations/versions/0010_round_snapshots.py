"""A closed round's frozen snapshot (issue 10): the inputs of its results, with the content
hashes of the assessments they came from, and the rows computed from them."""
from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("round_snapshots",
                    sa.Column("round_id", sa.String(100), primary_key=True),
                    sa.Column("body", sa.Text(), nullable=False),
                    sa.Column("sha256", sa.String(64), nullable=False),
                    sa.Column("taken_at", sa.String(40), nullable=False))


def downgrade() -> None:
    op.drop_table("round_snapshots")
