"""What a write makes stale: every import, approval or edit of a firm's data says which firms and
years it touched, once its transaction commits; `criteria` listens and re-evaluates them.

`enterprises` cannot import `criteria` (imports run one way), hence a signal rather than a call.
"""
from django.db import transaction
from django.dispatch import Signal

# sent with enterprise_ids (a set of ints) and years (a set of ints: the fiscal years written)
records_changed = Signal()


def mark_stale(enterprise_ids, years):
    """Announce after commit, so a rolled-back write re-evaluates nothing and readers see the data."""
    ids, yrs = set(enterprise_ids), {int(y) for y in years if y is not None}
    if not ids:
        return
    transaction.on_commit(lambda: records_changed.send(sender=None, enterprise_ids=ids, years=yrs))
