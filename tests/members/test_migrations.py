"""Migration 0005: every member's union join date becomes their earliest admission; going back
and forth loses nothing."""

import datetime as dt

import pytest

from tests.migrations import migrate_to

pytestmark = pytest.mark.long

BEFORE = [("members", "0004_redundant_fk_indexes")]
AFTER = [("members", "0005_union_join_date_and_recorded")]


@pytest.mark.django_db(transaction=True)
def test_join_date_becomes_the_earliest_admission_and_the_migration_reverses(tree, reset_database):
    try:
        apps = migrate_to(BEFORE)
        Member = apps.get_model("members", "Member")
        MembershipEvent = apps.get_model("members", "MembershipEvent")
        unit_id = tree.grassroots_a1.pk
        common = {"unit_id": unit_id, "gender": "male", "state_since": dt.date(2016, 1, 1)}
        drifted = Member.objects.create(
            full_name="Lê Văn Một", joined=dt.date(2019, 1, 1), **common
        )
        kept = Member.objects.create(full_name="Lê Văn Hai", joined=dt.date(2012, 5, 1), **common)
        for member, day in ((drifted, dt.date(2016, 1, 1)), (drifted, dt.date(2018, 1, 1))):
            MembershipEvent.objects.create(
                member=member, kind="admitted", date=day, unit_id=unit_id
            )
        MembershipEvent.objects.create(
            member=kept, kind="admitted", date=dt.date(2012, 5, 1), unit_id=unit_id
        )

        apps = migrate_to(AFTER)
        Member = apps.get_model("members", "Member")
        assert Member.objects.get(pk=drifted.pk).joined == dt.date(2016, 1, 1)
        assert Member.objects.get(pk=kept.pk).joined == dt.date(2012, 5, 1)

        apps = migrate_to(BEFORE)
        Member = apps.get_model("members", "Member")
        assert Member.objects.get(pk=drifted.pk).joined == dt.date(2016, 1, 1)
        assert apps.get_model("members", "MembershipEvent").objects.count() == 3
    finally:
        # Every app's latest state: going back unapplied the apps built on members too
        # (privacy, finance…), and later tests in this process need their tables; a copy of
        # the migrated database costs a second where migrating them forward took tens.
        reset_database()
