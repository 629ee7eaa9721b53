"""Who uploaded each evidence file (issue 15): ``blob_owners(sha256, device_id, size, at)``, and
an index on ``assessment_blobs.sha256``.

Files already stored stay usable by whoever can see an assessment that references them (the
rule needs no owner row for those); files nobody references yet must be uploaded again by a
device before it may reference them, which the laptop does on its own after ``missing_blobs``.
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob_owners',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'device_id')
    )
    op.create_index(op.f('ix_blob_owners_device_id'), 'blob_owners', ['device_id'], unique=False)
    # "which assessments reference this file?" (who may use it, quota, gc) by hash
    op.create_index('ix_assessment_blobs_sha256', 'assessment_blobs', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_assessment_blobs_sha256', table_name='assessment_blobs')
    op.drop_index(op.f('ix_blob_owners_device_id'), table_name='blob_owners')
    op.drop_table('blob_owners')
