"""Fixtures for documents: files in a temporary media folder, and a province clerk."""

import pytest

from unionhub.core import scope


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def province_clerk(tree, officer_at):
    return officer_at(tree.province, scope.CLERK)
