import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from unionhub.core.text import fold, name_sort_key, nfc, split_full_name

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
names = st.lists(
    st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), min_size=1, max_size=8),
    min_size=1,
    max_size=5,
).map(" ".join)


def test_fold_finds_what_people_type():
    assert fold("Nguyễn Văn Trọng") == "nguyen van trong"
    assert fold("ĐẶNG Thị Ánh") == "dang thi anh"
    assert fold("  Trọng  ") == "trong"


def test_nfc_joins_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thủy")
    assert nfc(decomposed) == "Nguyễn Thị Thủy"
    assert fold(decomposed) == "nguyen thi thuy"


def test_nfc_drops_nul_characters_the_database_cannot_store():
    assert nfc("Lê\x00 Văn\x00An") == "Lê VănAn"


@given(st.text())
def test_fold_is_ascii_lowercase_for_vietnamese_and_idempotent(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert "đ" not in folded and "Đ" not in folded


@given(names)
def test_fold_of_vietnamese_names_is_plain_ascii(name):
    assert fold(name).isascii()


@given(st.text())
def test_sort_key_is_digits_only_for_any_text(text):
    key = name_sort_key(text)
    assert key == "" or (key.isdigit() and key.isascii())


def test_names_sort_by_given_then_middle_then_family():
    names_in = [
        "Trần Văn Bình",
        "Nguyễn Thị An",
        "Lê Văn An",
        "Đỗ Thị Ánh",
        "Phạm Đức Anh",
        "Nguyễn Văn Đạt",
        "Hồ Văn Dũng",
    ]
    ordered = sorted(names_in, key=name_sort_key)
    assert ordered == [
        "Nguyễn Thị An",
        "Lê Văn An",
        "Phạm Đức Anh",
        "Đỗ Thị Ánh",
        "Trần Văn Bình",
        "Hồ Văn Dũng",
        "Nguyễn Văn Đạt",
    ]


def test_the_given_names_tone_decides_before_the_middle_name():
    assert sorted(["Lê Anh Ánh", "Lê Văn Anh"], key=name_sort_key) == ["Lê Văn Anh", "Lê Anh Ánh"]


def test_vietnamese_letters_and_tones_order():
    words = ["Ánh", "Anh", "Ảnh", "Ăn", "Ân", "Bảo", "Ạnh", "Ãnh", "Ành"]
    assert sorted(words, key=lambda w: name_sort_key(w)) == [
        "Anh",
        "Ành",
        "Ảnh",
        "Ãnh",
        "Ánh",
        "Ạnh",
        "Ăn",
        "Ân",
        "Bảo",
    ]


@given(names, names)
def test_sort_key_agrees_with_folded_given_name_order_when_letters_differ(a, b):
    ga, gb = split_full_name(a)[2], split_full_name(b)[2]
    if fold(ga) != fold(gb) and fold(ga).isalpha() and fold(gb).isalpha():
        # Different base letters: the order is decided by the given name alone, never by tones.
        key_a, key_b = name_sort_key(a), name_sort_key(b)
        assert (key_a < key_b) == (name_sort_key(ga) < name_sort_key(gb))


def test_split_full_name():
    assert split_full_name("Nguyễn Thị Thu Trang") == ("Nguyễn", "Thị Thu", "Trang")
    assert split_full_name("Mai") == ("", "", "Mai")


# Invisible characters: pasted from web pages, chat apps and mis-decoded files into names.
ZERO_WIDTH_SPACE, SOFT_HYPHEN, BOM, WORD_JOINER = "\u200b", "\u00ad", "\ufeff", "\u2060"


def test_a_zero_width_space_between_words_is_a_space():
    assert nfc(f"Lê{ZERO_WIDTH_SPACE}Văn Em") == "Lê Văn Em"
    assert nfc(f"Lê {ZERO_WIDTH_SPACE} Văn Em{ZERO_WIDTH_SPACE}") == "Lê Văn Em"


def test_soft_hyphens_byte_order_marks_and_control_characters_vanish():
    assert nfc(f"{BOM}Lê Văn Em") == "Lê Văn Em"
    assert nfc(f"Lê Văn{SOFT_HYPHEN} Em") == "Lê Văn Em"
    assert nfc(f"Ng{SOFT_HYPHEN}uyễn{WORD_JOINER} Thị") == "Nguyễn Thị"
    assert nfc("Ghi chú\x07") == "Ghi chú"
    assert nfc("Lê Văn \x1b\x7fEm") == "Lê Văn Em"
    assert nfc("\x07\x08") == ""


def test_tabs_and_line_breaks_are_spaces_not_dropped():
    assert nfc("Lê\tVăn\r\nEm") == "Lê Văn Em"


def test_an_invisible_character_between_a_letter_and_its_tone_mark_lets_them_join():
    decomposed = unicodedata.normalize("NFD", "Hà")
    assert nfc(decomposed[:-1] + SOFT_HYPHEN + decomposed[-1]) == "Hà"


invisible = st.characters(categories=["Cc", "Cf"]).filter(lambda ch: not ch.isspace())


@given(names, st.lists(st.tuples(st.integers(0, 60), invisible), max_size=5))
def test_a_name_with_invisible_characters_folds_and_sorts_as_the_name(name, insertions):
    dirty = name
    for position, character in insertions:
        dirty = dirty[:position] + character + dirty[position:]
    if ZERO_WIDTH_SPACE in dirty:
        return  # a word break: covered above
    assert nfc(dirty) == nfc(name)
    assert fold(dirty) == fold(name)
    assert name_sort_key(dirty) == name_sort_key(name)


@given(st.text())
def test_nfc_leaves_no_invisible_character_and_is_idempotent(text):
    cleaned = nfc(text)
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in cleaned)
    assert nfc(cleaned) == cleaned
