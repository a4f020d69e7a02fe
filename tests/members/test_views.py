"""The member screens through the test client: lists, member page, forms, scope."""

import datetime as dt

import pytest
from django.urls import reverse

from unionhub.audit.models import AuditEvent
from unionhub.members.models import Member


@pytest.fixture
def client_a(client, registrar_a):
    client.force_login(registrar_a)
    return client


def test_unit_list_shows_members_in_vietnamese_order(client_a, tree, admit):
    admit(full_name="Trần Văn Bình")
    admit(full_name="Nguyễn Thị An", gender="female")
    admit(full_name="Lê Văn Ân")
    page = client_a.get(reverse("members:unit_list", args=[tree.grassroots_a1.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Nguyễn Thị An") < html.index("Lê Văn Ân") < html.index("Trần Văn Bình")


def test_list_search_ignores_diacritics(client_a, tree, admit):
    admit(full_name="Đặng Văn Trọng")
    admit(full_name="Phan Thị Hoa", gender="female")
    page = client_a.get(reverse("members:list"), {"q": "dang trong"}).content.decode()
    assert "Đặng Văn Trọng" in page and "Phan Thị Hoa" not in page


def test_member_page_shows_profile_events_and_timeline(client_a, admit):
    member = admit(full_name="Võ Thị Lan", gender="female", decision="12/QĐ-CĐ")
    page = client_a.get(reverse("members:detail", args=[member.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Võ Thị Lan" in html and "12/QĐ-CĐ" in html
    assert 'data-testid="member-timeline"' in html


def test_officer_of_another_unit_cannot_open_list_page_or_photo(client, registrar_b, tree, admit):
    member = admit()
    client.force_login(registrar_b)
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 403
    assert client.get(reverse("members:photo", args=[member.pk])).status_code == 403
    assert client.get(reverse("members:edit", args=[member.pk])).status_code == 403
    assert client.get(reverse("members:unit_list", args=[tree.grassroots_a1.pk])).status_code == 403
    listing = client.get(reverse("members:list"), {"q": member.full_name}).content.decode()
    assert reverse("members:detail", args=[member.pk]) not in listing
    assert 'data-testid="member-count">0' in listing


def test_admit_form_creates_the_member(client_a, tree):
    response = client_a.post(
        reverse("members:admit", args=[tree.grassroots_a1.pk]),
        {
            "full_name": "Hồ  Thị   Mai",
            "gender": "female",
            "birth_date": "1995-04-02",
            "id_kind": "cccd",
            "id_number": "042195000123",
            "joined": "2024-05-01",
            "nationality": "Việt Nam",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.full_name == "Hồ Thị Mai" and member.unit == tree.grassroots_a1


def test_sensitive_reveal_is_logged(client_a, admit):
    member = admit(ethnicity="Mường", religion="Công giáo")
    page = client_a.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Mường" not in page
    revealed = client_a.post(reverse("members:sensitive", args=[member.pk]), HTTP_HX_REQUEST="1")
    assert "Mường" in revealed.content.decode()
    assert AuditEvent.objects.filter(action="members.member.sensitive_viewed").count() == 1


def test_edit_form_saves_only_changes(client_a, admit):
    member = admit(phone="0912000111")
    form = client_a.get(reverse("members:edit", args=[member.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        value = "" if value is None else value
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = value
    data["phone"] = "0988777666"
    response = client_a.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "0988777666" and member.version == 2


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        value = "" if value is None else value
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = value
        if field.show_hidden_initial:
            data[form.add_initial_prefix(name)] = value
    return data


def test_second_save_is_refused_with_what_changed_then_keeps_both(client, tree, admit, officer_at):
    first, second = (
        officer_at(tree.grassroots_a1, "registrar"),
        officer_at(tree.grassroots_a1, "registrar"),
    )
    member = admit(phone="0912000111", address="Thôn 1")
    url = reverse("members:edit", args=[member.pk])
    client.force_login(first)
    first_form = _form_data(client.get(url).context["form"])
    client.force_login(second)
    second_form = _form_data(client.get(url).context["form"])

    client.force_login(first)
    assert client.post(url, {**first_form, "phone": "0988000222"}).status_code == 302

    client.force_login(second)
    refused = client.post(url, {**second_form, "address": "Thôn 9"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert 'data-testid="edit-conflict"' in page
    assert "0912000111" in page and "0988000222" in page
    member.refresh_from_db()
    assert (member.phone, member.address) == ("0988000222", "Thôn 1")

    # The form now carries the colleague's version plus this officer's change: saving it again
    # applies only the address, and the phone the colleague set stays.
    again = _form_data(refused.context["form"])
    again["address"] = refused.context["form"]["address"].value()
    assert client.post(url, again).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.address) == ("0988000222", "Thôn 9")
