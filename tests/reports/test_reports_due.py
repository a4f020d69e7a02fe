"""The home page's to-do list counts the reports an officer's units still owe."""

import datetime as dt

from django.urls import reverse

from unionhub.core import scope
from unionhub.reports import selectors, services


def test_a_report_owed_is_on_the_to_do_list_until_it_is_submitted(client, tree, officer_at):
    round_ = services.round_open(
        unit=tree.district_a, first=dt.date(2025, 1, 1), last=dt.date(2025, 6, 30),
        deadline=dt.date(2025, 7, 15), by=tree.admin,
    )  # fmt: skip
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    assert selectors.reports_due(user=registrar) == 1
    # Not a registrar of a unit asked: nothing owed.
    assert selectors.reports_due(user=officer_at(tree.grassroots_a1, scope.VIEWER)) == 0
    assert selectors.reports_due(user=officer_at(tree.grassroots_b1, scope.REGISTRAR)) == 0
    client.force_login(registrar)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports:rounds")}"' in page

    services.report_submit(report_round=round_, unit=tree.grassroots_a1, by=registrar)
    assert selectors.reports_due(user=registrar) == 0
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo-empty"' in page
