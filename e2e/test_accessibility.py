"""WCAG 2.1 AA over the main pages, checked by axe-core (vendored, test-only): no serious or
critical violation."""

from pathlib import Path

import pytest

from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)
AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text()
RUN = """axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})
  .then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3)}`))"""


def test_main_pages_have_no_serious_accessibility_violation(login, live_server, tree):
    make_user("tinh", is_superuser=True, is_staff=True)
    page = login("tinh", "pw-tinh")
    found = {}
    for path in (
        "/",
        "/units/",
        f"/units/{tree.province.pk}/",
        "/members/",
        "/cards/",
        "/reports/",
        "/documents/",
        "/congress/",
        "/imports/",
        "/imports/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        # Evaluated through the devtools protocol: the page's CSP (no inline scripts) stays on.
        page.evaluate(AXE)
        if violations := page.evaluate(RUN):
            found[path] = violations
    assert found == {}
