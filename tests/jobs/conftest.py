from tests.criteria.conftest import editions  # noqa: F401  (the published editions, as for the criteria tests)
