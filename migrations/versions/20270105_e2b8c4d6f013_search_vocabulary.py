"""search_vocabulary: the index's stems and surface words with their document counts, kept with the index so query
analysis reads them instead of every document after each publication (issue 20, part 1)

Revision ID: e2b8c4d6f013
Revises: d7a3e1b5c920
Create Date: 2027-01-05 08:00:00

"""
from collections import Counter

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2b8c4d6f013'
down_revision = 'd7a3e1b5c920'
branch_labels = None
depends_on = None

TOKEN_COLUMNS = ("title_tokens", "terms_tokens", "related_tokens", "body_tokens")


def upgrade():
    vocabulary = op.create_table('search_vocabulary',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'word', name=op.f('pk_search_vocabulary'))
    )
    # The counts of the index as it stands (the same count kb/search/vocabulary.py keeps from now on).
    counts = Counter()
    rows = op.get_bind().execute(sa.text(f"SELECT words, {', '.join(TOKEN_COLUMNS)} FROM search_document"))
    for words, *tokens in rows:
        counts.update(("surface", w) for w in set((words or "").split()))
        counts.update(("stem", t) for t in set(" ".join(t or "" for t in tokens).split()))
    found = [{"kind": k, "word": w, "documents": n} for (k, w), n in sorted(counts.items())]
    for start in range(0, len(found), 20_000):
        op.bulk_insert(vocabulary, found[start:start + 20_000])


def downgrade():
    op.drop_table('search_vocabulary')
