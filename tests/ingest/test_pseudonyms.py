from chrysalide.privacy import NameScrubber, Pseudonymiser, load_key


def test_key_created_once_and_private(tmp_path):
    path = tmp_path / "db.key"
    key = load_key(path)
    assert load_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600


def test_pseudonyms_are_stable_and_keyed():
    a = Pseudonymiser(b"k" * 32)
    b = Pseudonymiser(b"j" * 32)
    assert a.pseudonym("src\x1fid:42") == a.pseudonym("src\x1fid:42")
    assert a.pseudonym("src\x1fid:42") != b.pseudonym("src\x1fid:42")
    assert a.pseudonym("src\x1fid:42").startswith("M-")
    assert Pseudonymiser(b"k" * 32, keep_names=True).pseudonym("x", "Alice") == "Alice"


def test_scrubber_replaces_names_mentions_and_multiword_names():
    scrub = NameScrubber([("Sophie_T", "M-1"), ("marc75", "M-2"), ("Jean Luc", "M-3"), ("Bob", "M-4")])
    text = "Merci sophie_t ! @marc75 et Jean Luc ont raison, Bob aussi; bobine reste."
    assert scrub.scrub(text) == "Merci M-1 ! @M-2 et M-3 ont raison, M-4 aussi; bobine reste."


def test_short_names_need_exact_case_and_tiny_names_are_ignored():
    scrub = NameScrubber([("Bob", "M-4"), ("Al", "M-5")])
    assert scrub.scrub("bob et Al") == "bob et Al"


def test_text_without_names_is_returned_unchanged():
    scrub = NameScrubber([("Alice", "M-1")])
    text = "Rien à voir <script>x</script>"
    assert scrub.scrub(text) is text


def test_parts_of_multiword_names_are_scrubbed_where_capitalised():
    scrub = NameScrubber([("Claire Dupont", "M-7")])
    assert scrub.scrub("Courage Claire ! Dupont a raison, c'est claire.") == "Courage M-7 ! M-7 a raison, c'est claire."
    assert scrub.scrub("Merci Claire Dupont") == "Merci M-7"
