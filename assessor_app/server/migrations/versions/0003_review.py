"""Review on the laptop: review comments anchored to an item and sample (and the revision they
were written on), and the signed report PDFs held for each assessment (the inspector's signed
one and the supervisor's countersigned one)."""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("item", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("sample", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("rev", sa.Integer(), nullable=True))
    op.create_table(
        "signed_reports",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("uuid", "kind"))


def downgrade() -> None:
    op.drop_table("signed_reports")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("rev")
        batch.drop_column("sample")
        batch.drop_column("item")
