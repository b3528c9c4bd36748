from .declarations import (Attachment, Declaration, DeclarationEvent, Round, RoundKind,  # noqa: F401
                           Status)
from .editions import Condition, Criterion, Edition, EditionStatus, Tier  # noqa: F401
from .evaluations import CriterionOutcome, EvaluationRun, TierOutcome  # noqa: F401
from .judgments import Claim, StaffJudgment  # noqa: F401
from .pool import Decision, Flag, PoolMembership, Verification  # noqa: F401
