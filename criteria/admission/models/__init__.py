from .declarations import (Attachment, Declaration, DeclarationEvent, Round, RoundKind,  # noqa: F401
                           Status)
from .pool import Decision, Flag, PoolMembership, Verification  # noqa: F401
