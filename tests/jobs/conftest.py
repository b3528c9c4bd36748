# The published editions and the five firms of different shapes, as for the criteria tests.
from tests.criteria.conftest import editions, firms  # noqa: F401
