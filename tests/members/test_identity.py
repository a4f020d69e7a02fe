from hypothesis import given
from hypothesis import strategies as st

from unionhub.members.identity import PROVINCE_CODES, zeros_restored

cccds = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text("0123456789", min_size=9, max_size=9),
)


@given(cccds)
def test_a_citizen_id_that_lost_its_leading_zeros_gets_them_back(number):
    assert zeros_restored(str(int(number))) == number
    assert zeros_restored(str(int(number)), "cccd") == number
    assert zeros_restored(number) == number


@given(st.text("0123456789", min_size=1, max_size=12))
def test_only_the_zeros_a_number_can_have_lost_are_put_back(number):
    restored = zeros_restored(number)
    assert restored.lstrip("0") == number.lstrip("0")
    if restored != number:
        assert len(restored) == 12 and restored[:3] in PROVINCE_CODES


def test_id_cards_and_passports():
    assert zeros_restored("12345678", "cmnd") == "012345678"
    assert zeros_restored("12345678") == "12345678"  # eight digits of an unknown kind
    assert zeros_restored("B1234567", "passport") == "B1234567"
