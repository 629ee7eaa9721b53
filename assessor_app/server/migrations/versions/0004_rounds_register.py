"""Rounds, the register of governments and their units, office web logins and sessions; the
assessments table gains unit_id and round_id (covered by an index), their results facts live
in assessment_facts (issue 10)."""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("rounds",
                    sa.Column("id", sa.String(100), primary_key=True),
                    sa.Column("name", sa.String(200), nullable=False),
                    sa.Column("template_id", sa.String(100), nullable=False),
                    sa.Column("template_version", sa.String(40), nullable=False),
                    sa.Column("starts", sa.String(10), nullable=False, server_default=""),
                    sa.Column("ends", sa.String(10), nullable=False, server_default=""),
                    sa.Column("state", sa.String(20), nullable=False, server_default="planning"),
                    sa.Column("rule", sa.String(20), nullable=False, server_default="mean"),
                    sa.Column("min_units", sa.Integer(), nullable=False, server_default="1"),
                    sa.Column("previous_id", sa.String(100)),
                    sa.Column("created_at", sa.String(40), nullable=False))
    op.create_table("governments",
                    sa.Column("id", sa.String(100), primary_key=True),
                    sa.Column("name", sa.String(300), nullable=False),
                    sa.Column("category", sa.String(100), nullable=False),
                    sa.Column("province", sa.String(200), nullable=False, server_default=""),
                    sa.Column("team", sa.String(200), nullable=False, server_default=""),
                    sa.Column("updated_at", sa.String(40), nullable=False))
    op.create_table("units",
                    sa.Column("id", sa.String(100), primary_key=True),
                    sa.Column("government_id", sa.String(100), sa.ForeignKey("governments.id"),
                              nullable=False),
                    sa.Column("name", sa.String(400), nullable=False),
                    sa.Column("address", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_units_government_id", "units", ["government_id"])
    op.create_table("web_logins",
                    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
                    sa.Column("password_hash", sa.String(300), nullable=False))
    op.create_table("web_sessions",
                    sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
                    sa.Column("csrf", sa.String(64), nullable=False),
                    sa.Column("expires_at", sa.String(40), nullable=False))
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("unit_id", sa.String(100)))
        batch.add_column(sa.Column("round_id", sa.String(100)))
    op.create_index("ix_assessments_unit_id", "assessments", ["unit_id"])
    op.create_index("ix_assessments_round", "assessments",
                    ["round_id", "unit_id", "status", "updated_at", "uuid"])
    op.create_table("assessment_facts",
                    sa.Column("uuid", sa.String(36), primary_key=True),
                    sa.Column("facts", sa.Text(), nullable=False))


def downgrade() -> None:
    op.drop_table("assessment_facts")
    op.drop_index("ix_assessments_round", "assessments")
    op.drop_index("ix_assessments_unit_id", "assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("round_id")
        batch.drop_column("unit_id")
    for name in ("web_sessions", "web_logins", "units", "governments", "rounds"):
        op.drop_table(name)
