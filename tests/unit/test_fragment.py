from sift.fragment import (
    name_from_url,
    parse_fragment,
    percent_decode,
    scheme_problem,
    sources,
    unknown_keys,
)


def test_percent_decode_utf8_and_plus() -> None:
    assert percent_decode("caf%C3%A9+bar") == "café bar"


def test_percent_decode_keeps_malformed_escapes() -> None:
    assert percent_decode("100%25%zz%4") == "100%%zz%4"


def test_parse_fragment_keeps_order_and_repeats() -> None:
    pairs = parse_fragment("#src=a.csv&table=t&src=https%3A%2F%2Fx.org%2Fb.csv&&")
    assert pairs == [("src", "a.csv"), ("table", "t"), ("src", "https://x.org/b.csv")]


def test_sources_skips_blank_values() -> None:
    assert sources(parse_fragment("src=&src=%20&src=x.csv")) == ["x.csv"]


def test_unknown_keys_reported_once() -> None:
    assert unknown_keys(parse_fragment("src=a&zoom=2&zoom=3&foo")) == ["zoom", "foo"]


def test_empty_fragment() -> None:
    assert parse_fragment("") == []
    assert parse_fragment("#") == []


def test_name_from_url() -> None:
    assert name_from_url("https://x.org/a/data.csv?v=1#top") == "data.csv"
    assert name_from_url("https://x.org/a/my%20file.csv") == "my file.csv"
    assert name_from_url("https://x.org/") == "x.org"
    assert name_from_url("relative.csv") == "relative.csv"


def test_scheme_problem() -> None:
    assert scheme_problem("https://x.org/a.csv") == ""
    assert scheme_problem("HTTP://x.org/a.csv") == ""
    assert scheme_problem("javascript:alert(1)") == (
        "Sift can open http and https URLs only, not javascript: addresses."
    )
    assert "file:" in scheme_problem("file:///etc/passwd")


def test_percent_encode_round_trips_delimiters_and_utf8() -> None:
    from sift.fragment import percent_encode

    text = "a&b=c#d%e+f g/é,ü?"
    encoded = percent_encode(text)
    assert encoded == "a%26b%3Dc%23d%25e%2Bf%20g/%C3%A9,%C3%BC?"
    assert percent_decode(encoded) == text
    assert parse_fragment("#k=" + encoded) == [("k", text)]
