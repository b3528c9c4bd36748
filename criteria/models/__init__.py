# The admission side's models live in criteria/admission/models but belong to the criteria app;
# editions come first because the admission models point at them.
from .editions import Condition, Criterion, Edition, EditionStatus, Tier  # noqa: F401
from .evaluations import CriterionOutcome, EvaluationRun, TierOutcome  # noqa: F401
from .judgments import Claim, StaffJudgment  # noqa: F401
from criteria.admission.models import (Attachment, CultivationPlan, Declaration, DeclarationEvent,  # noqa: F401,E402,I001
                                       Decision, EntrySource, Flag, ItemStatus, ListStatus, Outcome,
                                       PlanItem, PlanProgress, PlanStatus, PoolMembership,
                                       RecommendationEntry, RecommendationList, Round, RoundKind, Status,
                                       Verification)
