from .declarations import (Attachment, Declaration, DeclarationEvent, Round, RoundKind,  # noqa: F401
                           Status)
from .plans import CultivationPlan, ItemStatus, PlanItem, PlanProgress, PlanStatus  # noqa: F401
from .pool import Decision, Flag, PoolMembership, Verification  # noqa: F401
from .recommendation import (EntrySource, ListStatus, Outcome, RecommendationEntry,  # noqa: F401
                             RecommendationList)
