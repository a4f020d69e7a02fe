"""Search finds what a person expects, ignoring diacritics and case, within scope only."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionhub.core.text import fold, name_sort_key
from unionhub.members import selectors, services
from unionhub.members.selectors import MemberFilters


@pytest.fixture
def people(tree, admit):
    return {
        "trong": admit(full_name="Nguyễn Văn Trọng", phone="0912345678"),
        "dang": admit(full_name="Đặng Thị Ánh", gender="female", id_number="042196001234"),
        "an": admit(full_name="Lê Văn An"),
        "hoang": admit(full_name="Hoàng Minh Tuấn"),
        "other_unit": admit(full_name="Nguyễn Văn Trọng", unit=tree.grassroots_b1),
    }


def names(user, query, **kwargs):
    return [m.full_name for m in selectors.member_search(user=user, query=query, **kwargs)]


@pytest.mark.parametrize("query", ["nguyen van trong", "TRONG", "Trọng", "van tro", "rong"])
def test_what_people_type_finds_nguyen_van_trong(people, registrar_a, query):
    assert names(registrar_a, query) == ["Nguyễn Văn Trọng"]


def test_dang_finds_dang_and_only_whole_word_matches_rank_first(people, registrar_a):
    assert names(registrar_a, "dang") == ["Đặng Thị Ánh"]
    assert names(registrar_a, "Đặng") == ["Đặng Thị Ánh"]


def test_short_words_match_the_start_of_a_word(people, registrar_a):
    assert names(registrar_a, "an") == ["Lê Văn An", "Đặng Thị Ánh"]
    assert names(registrar_a, "ho") == ["Hoàng Minh Tuấn"]


def test_document_and_phone_digits_are_searchable(people, registrar_a):
    assert names(registrar_a, "001234") == ["Đặng Thị Ánh"]
    assert names(registrar_a, "0912 345") == ["Nguyễn Văn Trọng"]  # typed with a space
    assert names(registrar_a, "0912 999") == []  # every word must match
    assert names(registrar_a, "345678") == ["Nguyễn Văn Trọng"]


def test_search_never_leaves_the_scope(people, registrar_a, registrar_b, tree):
    assert [m.unit for m in selectors.member_search(user=registrar_a, query="trong")] == [
        tree.grassroots_a1
    ]
    assert [m.unit for m in selectors.member_search(user=registrar_b, query="trong")] == [
        tree.grassroots_b1
    ]
    assert names(registrar_b, "dang") == []


def test_province_wide_search_uses_the_index_path_and_finds_the_same(people, tree, officer_at):
    province_officer = officer_at(tree.province, "viewer")
    assert sorted(names(province_officer, "trong")) == ["Nguyễn Văn Trọng", "Nguyễn Văn Trọng"]
    assert names(province_officer, "dang") == ["Đặng Thị Ánh"]


def test_current_members_rank_before_former_ones(people, tree, registrar_a):
    services.member_leave(
        member=people["trong"], date=dt.date(2024, 1, 1), reason="resigned", by=tree.admin
    )
    newcomer = services.member_admit(
        unit=tree.grassroots_a1,
        by=tree.admin,
        joined=dt.date(2024, 2, 1),
        full_name="Trần Văn Trọng",
        gender="male",
    )
    assert names(registrar_a, "trong")[0] == newcomer.full_name


def test_search_within_the_list_respects_the_filters(people, registrar_a):
    found = selectors.member_list(
        user=registrar_a, filters=MemberFilters(query="van", gender="male")
    )
    assert [m.full_name for m in found] == ["Lê Văn An", "Nguyễn Văn Trọng"]


def test_upper_apps_can_add_search_matchers(people, registrar_a, monkeypatch):
    from django.apps import apps
    from django.db.models import Q

    def by_card(query):
        return Q(pk=people["hoang"].pk) if query == "CARD-1" else None

    monkeypatch.setattr(apps.get_app_config("members"), "member_search", [by_card], raising=False)
    assert names(registrar_a, "CARD-1") == ["Hoàng Minh Tuấn"]


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), min_size=3, max_size=7)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(words, min_size=2, max_size=4), st.data())
def test_any_word_of_a_name_typed_without_diacritics_finds_it(tree, parts, data):
    """Property: fold(any word of the name) finds the member, in any case."""
    name = " ".join(parts)
    member = services.member_admit(
        unit=tree.grassroots_a1,
        by=tree.admin,
        joined=dt.date(2020, 1, 1),
        full_name=name,
        gender="male",
    )
    word = data.draw(st.sampled_from(parts))
    typed = data.draw(st.sampled_from([fold(word), fold(word).upper(), word]))
    assert member.pk in [
        m.pk for m in selectors.member_search(user=tree.admin, query=typed, limit=400)
    ]
    member.delete()


@given(st.text())
def test_fold_and_sort_key_accept_any_unicode(text):
    folded = fold(text)
    assert fold(folded) == folded
    key = name_sort_key(text)
    assert key == "" or key.isdigit()


@given(st.lists(words, min_size=3, max_size=3), st.lists(words, min_size=3, max_size=3))
def test_sort_key_orders_by_given_then_middle_then_family(first, second):
    a, b = " ".join(first), " ".join(second)
    ka, kb = name_sort_key(a), name_sort_key(b)
    if first[2].casefold() != second[2].casefold():
        # Different given names: the given name alone decides.
        assert (ka < kb) == (name_sort_key(first[2]) < name_sort_key(second[2]))


def test_search_takes_a_fixed_number_of_queries(people, registrar_a, django_assert_num_queries):
    """The search box is typed into all day: one query once the user's roles are read (they
    are read once per request)."""
    names(registrar_a, "nguyen")
    with django_assert_num_queries(1):
        assert names(registrar_a, "van") == ["Lê Văn An", "Nguyễn Văn Trọng"]


def test_the_units_of_the_results_are_read_whole(people, registrar_a, tree):
    """The search loads each result's unit in its own statement: every field in its place."""
    (found,) = selectors.member_search(user=registrar_a, query="dang")
    unit = tree.grassroots_a1
    assert (found.unit.pk, found.unit.code, found.unit.name, found.unit.level) == (
        unit.pk, unit.code, unit.name, unit.level,
    )  # fmt: skip
    assert (found.unit.path, found.unit.parent_id, found.unit.dissolved) == (
        unit.path, unit.parent_id, None,
    )  # fmt: skip
