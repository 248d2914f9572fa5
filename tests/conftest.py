"""Fixtures: one real build of the five seeds, shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_SEEDS, Golden, build, copy_project, serve, tools_required


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens``: the one flag that rewrites every golden file."""
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """Checks (or, with ``--update-goldens``, rewrites) golden files."""
    return Golden(bool(request.config.getoption("--update-goldens")))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, built from the frozen example seeds; returns the project root."""
    root = copy_project(tmp_path_factory.mktemp("project") / "p")
    # Only for this build: a test of the build day (no epoch) must not depend on the order of the tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        assert build(root) == 0
    return root


@pytest.fixture(scope="session")
def site(built: Path) -> Path:
    """The built ``site/`` directory of the example seeds."""
    return built / "site"


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    """The built site served over HTTP under a sub-path, like a GitHub Pages project site."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The frozen example seeds (``tests/examples/seeds/``, read only)."""
    return EXAMPLE_SEEDS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright. Never skipped in CI (``CI=true``)."""
    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (tests/run.sh does it as root)"
        if tools_required():
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def original_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built site of a copy whose first seed has a ``url:`` (no real seed has one): issue #8's checks."""
    from tests.audit import with_original

    return with_original(tmp_path_factory.mktemp("original") / "p") / "site"
