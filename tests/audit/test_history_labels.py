"""History pages name events in words and people by their names (issue #22)."""

from django.urls import reverse
from django.utils import translation

from unionhub.core.registry import action_label
from unionhub.members.actions import Action


def test_every_declared_action_has_words_in_both_languages():
    with translation.override("en"):
        assert action_label(Action.MEMBER_ADMITTED) == "Admitted"
    with translation.override("vi"):
        assert action_label(Action.MEMBER_ADMITTED) == "Kết nạp"
        assert action_label("orgs.unit.founded") == "Thành lập đơn vị"


def test_an_undeclared_action_is_shown_as_its_name():
    assert action_label("elsewhere.thing.happened") == "elsewhere.thing.happened"


def test_member_and_unit_histories_show_words_and_full_names(client, tree, admit, registrar_a):
    registrar_a.first_name, registrar_a.last_name = "Mai", "Nguyễn Thị"
    registrar_a.save()
    client.force_login(registrar_a)
    member = admit(by=registrar_a)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    timeline = page[page.index('data-testid="member-timeline"') :]
    assert "Kết nạp" in timeline and "Mai Nguyễn Thị" in timeline
    assert "members.member.admitted</" not in timeline and registrar_a.username not in timeline
    unit_page = client.get(reverse("orgs:unit", args=[tree.grassroots_a1.pk])).content.decode()
    history = unit_page[unit_page.index('data-testid="unit-history"') :]
    assert "<code>" not in history
