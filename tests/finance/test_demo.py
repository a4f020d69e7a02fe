import datetime as dt
import random

from django.db.models import Sum

from unionhub.demo.province import Province
from unionhub.finance import demo, selectors
from unionhub.finance.models import (
    Account,
    DuesLine,
    EmployerFee,
    Posting,
    Remittance,
    Rule,
    RuleKind,
)
from unionhub.finance.rules import month_end
from unionhub.members.models import MembershipPeriod
from unionhub.members.selectors import held_on


def test_demo_dues_agree_with_the_registry_and_the_books_balance(tree, admit):
    for unit in (tree.grassroots_a1, tree.grassroots_a2, tree.grassroots_b1):
        for _ in range(3):
            admit(unit=unit, joined=dt.date(2019, 1, 1))
    province = Province(root=tree.root, province=tree.province)
    lines = []
    demo.populate(province=province, rng=random.Random(1), by=tree.admin, log=lines.append)
    months = sorted(set(DuesLine.objects.values_list("month", flat=True)))
    assert len(months) == 24
    for month in months:
        held = MembershipPeriod.objects.filter(held_on(month_end(month)))
        assert DuesLine.objects.filter(month=month).count() == held.count()
    balance = selectors.trial_balance(user=tree.admin, unit=tree.province)
    assert sum(balance.values()) == 0
    paid = DuesLine.objects.exclude(paid_on=None).aggregate(s=Sum("amount"))["s"]
    spent = Posting.objects.filter(account=Account.CASH, entry__kind="manual")
    assert balance[Account.CASH] == paid + spent.aggregate(s=Sum("amount"))["s"]
    # Remittances leave one union's bank and reach its upper level's, and so does the share of
    # the union fee passed down: the province's banks hold the union fee collected, no more.
    posted_fees = EmployerFee.objects.aggregate(s=Sum("posted"))["s"]
    assert posted_fees and balance[Account.BANK] == posted_fees
    assert balance[Account.FEE_REVENUE] == -posted_fees
    assert Remittance.objects.exists()
    assert Posting.objects.filter(account=Account.SUPPORT_EXPENSE).exclude(member=None).exists()
    assert "24 months" in lines[-1]
    # No official spending ratios are seeded: the demo's are named as its example values.
    examples = Rule.objects.filter(kind__in=[RuleKind.SUPPORT_MIN, RuleKind.ADMIN_MAX])
    assert {rule.basis for rule in examples} == {demo.EXAMPLE_BASIS}
    assert Posting.objects.filter(account=Account.ADMIN_EXPENSE).exists()
