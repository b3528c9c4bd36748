from .choices import *  # noqa: F401,F403
from .core import Enterprise, EnterpriseQuerySet, IndustryTag, PoolStatus, Town, UserScope  # noqa: F401
from .finance import FiscalYearRecord, Product, ProductRevenue  # noqa: F401
from .records import (BadRecord, Brand, Certification, Competition, InformationSystem,  # noqa: F401
                      IPItem, RDInstitution, Recognition, Standard)
from .notifications import Notification  # noqa: F401
