import pytest


@pytest.fixture
def editions(db):
    """The published 2022 editions (fixtures/editions/*.json) loaded into the database."""
    from criteria.services import load_editions

    load_editions()
