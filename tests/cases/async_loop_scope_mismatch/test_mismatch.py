"""A module-scoped async fixture may not run in a function-scoped loop: pytest's
ScopeMismatch errors every test that requests it (the ini's default loop scope is function)."""
import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def too_wide():
    return 1


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fits():
    return 2


@pytest.mark.asyncio
async def test_requests_too_wide(too_wide):
    pass


@pytest.mark.asyncio(loop_scope="module")
async def test_requests_fits(fits):
    assert fits == 2
