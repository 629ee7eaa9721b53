"""Corrective actions register and the per-round settings of the compliance variable (issue 11)."""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrective_actions",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("unit_id", sa.String(400), nullable=False),
        sa.Column("government_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("team", sa.String(200), nullable=False, server_default=""),
        sa.Column("assessment", sa.String(36), nullable=False, server_default=""),
        sa.Column("item_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("sample", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reference", sa.String(200), nullable=False, server_default=""),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False, server_default=""),
        sa.Column("responsible", sa.String(300), nullable=False, server_default=""),
        sa.Column("due_date", sa.String(10), nullable=False, server_default=""),
        sa.Column("state", sa.String(20), nullable=False, server_default="open"),
        sa.Column("history", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False))
    for col in ("unit_id", "government_id", "due_date", "state"):
        op.create_index(f"ix_corrective_actions_{col}", "corrective_actions", [col])
    op.create_table(
        "action_settings",
        sa.Column("round_id", sa.String(100), primary_key=True),
        sa.Column("partly_weight", sa.String(20), nullable=False, server_default="1/2"),
        sa.Column("include_complaints", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_table("action_settings")
    for col in ("unit_id", "government_id", "due_date", "state"):
        op.drop_index(f"ix_corrective_actions_{col}", "corrective_actions")
    op.drop_table("corrective_actions")
