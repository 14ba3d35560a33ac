from __future__ import annotations

import pytest

from sift.errors import LoadError
from sift.limits import MAX_FILE_BYTES, check_size, human_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1, "1 byte"),
        (5, "5 bytes"),
        (12_000, "12 KB"),
        (820_000_000, "820 MB"),
        (2_300_000_000, "2.3 GB"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_file_over_the_limit_is_refused_with_what_to_do() -> None:
    with pytest.raises(LoadError) as caught:
        check_size("huge.csv", 2_300_000_000)
    assert caught.value.message == (
        "huge.csv is 2.3 GB; Sift in the browser can open files up to 1 GB."
    )
    assert "split the file" in caught.value.hint


def test_file_at_the_limit_is_accepted() -> None:
    check_size("ok.csv", MAX_FILE_BYTES)
