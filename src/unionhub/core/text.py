"""Vietnamese text: normalise, fold for search, and sort the way Vietnamese lists do (DESIGN §5)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Tone marks are combining characters after NFD; the vowel-quality marks (breve, circumflex,
# horn) are too, but they change the letter, so they stay in the sort key and leave the fold.
_TONES = {
    "\u0300": "1",  # huyền
    "\u0309": "2",  # hỏi
    "\u0303": "3",  # ngã
    "\u0301": "4",  # sắc
    "\u0323": "5",  # nặng
}
_QUALITY = {"\u0306": "ă", "\u0302": "^", "\u031b": "+"}
# Vietnamese alphabet order, with the Latin letters Vietnamese does not use slotted in place.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_DIGITS = "0123456789"
# Two decimal digits a letter (10–52), each word closed by "0" and its tone (0–5): a key made
# only of digits sorts the same under every database collation (PostgreSQL's locale collations
# ignore punctuation; digits they cannot reorder), a shorter word before a longer one with the
# same start, and the tone breaks ties within a word before the next word is compared.
_RANK = {letter: f"{i + 20:02d}" for i, letter in enumerate(_ALPHABET)}
_RANK.update({d: f"{i + 10:02d}" for i, d in enumerate(_DIGITS)})


# Invisible characters that separate words where they are typed or pasted: a web page's
# zero-width space between "Lê" and "Văn" is a word break, not nothing.
_WORD_BREAKS = str.maketrans(dict.fromkeys("\u200b", " "))
_INVISIBLE = frozenset({"Cc", "Cf"})


def nfc(value: str | None) -> str:
    """NFC-normalise, trim and collapse inner white space (tabs and line breaks included), and
    drop the invisible characters: control characters (a pasted BEL; NUL, which PostgreSQL
    cannot store in text or JSON, so one in an uploaded file must not fail the upload) and
    format characters (BOM, soft hyphen, zero-width joiners), so that "Lê Văn Em" with a soft
    hyphen inside and "Lê Văn Em" are the same name to every comparison; a zero-width space
    counts as a space. None becomes ''."""
    if not value:
        return ""
    text = _SPACES.sub(" ", str(value).translate(_WORD_BREAKS))
    # isprintable is False for every Cc and Cf character: most values skip the loop. They go
    # before NFC, so that a tone mark they separated from its letter composes with it.
    if not text.isprintable():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
        text = _SPACES.sub(" ", text)
    return unicodedata.normalize("NFC", text).strip()


def fold(value: str | None) -> str:
    """Diacritic-free lower case for search: 'Đặng Thị Ánh' → 'dang thi anh'."""
    decomposed = unicodedata.normalize("NFD", nfc(value).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def _letters_and_tone(word: str) -> tuple[str, str]:
    letters: list[str] = []
    tone = "0"
    for ch in unicodedata.normalize("NFD", word.casefold()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _QUALITY and letters:
            base = letters[-1]
            if ch == "\u0306" and base == "a":
                letters[-1] = "ă"
            elif ch == "\u0302" and base in "aeo":
                letters[-1] = {"a": "â", "e": "ê", "o": "ô"}[base]
            elif ch == "\u031b" and base in "ou":
                letters[-1] = {"o": "ơ", "u": "ư"}[base]
        elif ch == "đ":
            letters.append("đ")
        elif not unicodedata.combining(ch):
            letters.append(ch)
    key = "".join(_RANK[ch] for ch in letters if ch in _RANK)
    return key, tone


def word_sort_key(words: list[str]) -> str:
    """Digits-only key ordering words one by one: Vietnamese letters, then the tone."""
    return "".join(
        f"{letters}0{tone}" for letters, tone in map(_letters_and_tone, filter(None, words))
    )


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """'Nguyễn Văn Trọng' → ('Nguyễn', 'Văn', 'Trọng'): family, middle, given."""
    words = nfc(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """Key for Vietnamese lists: given name, then middle, then family name (DESIGN §5)."""
    family, middle, given = split_full_name(full_name)
    return word_sort_key([given, *middle.split(" "), family])


def text_sort_key(text: str) -> str:
    """Key for names of units and other titles, read in order."""
    return word_sort_key(nfc(text).split(" "))
