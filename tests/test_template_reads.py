"""What a template's Liquid reads: the keys a send must pass, found by python-liquid's parser."""

from __future__ import annotations

import pytest

from cio_toolkit._template_reads import MAX_LOOKAHEAD, lookahead, template_reads


def test_an_events_data_is_read_as_its_own_root() -> None:
    reads = template_reads("{{ event.product | default: 'it' }} for {{ customer.email }}")
    assert reads.paths["event"] == ["product"] and reads.optional["event"] == ["product"]


def test_reads_come_in_order_of_first_use_across_subject_and_body() -> None:
    reads = template_reads(
        "Order {{ trigger.order_id }} for {{ customer.first_name }}",
        "<p>{{ trigger.total }} {{ trigger.order_id }} {{ customer.plan | upcase }}</p>",
    )
    assert reads.paths == {
        "trigger": ["order_id", "total"],
        "customer": ["first_name", "plan"],
        "event": [],
    }
    assert reads.optional == {"trigger": [], "customer": [], "event": []} and reads.error is None


def test_a_key_is_optional_only_when_every_use_copes_without_it() -> None:
    reads = template_reads(
        "{{ trigger.currency | default: 'USD' }}"
        "{% if trigger.coupon %}{{ trigger.coupon }}{% endif %}"  # tested, then printed bare
        "{% for item in trigger.items %}{{ item.name }}{% endfor %}"  # looped over only
        "{% unless trigger.quiet %}!{% endunless %}{{ trigger.note | upcase | default: '' }}"
    )
    assert reads.paths["trigger"] == ["currency", "coupon", "items", "quiet", "note"]
    assert reads.optional["trigger"] == ["currency", "items", "quiet", "note"]
    # Each fallback as Liquid writes it, shown beside its key.
    assert reads.defaults["trigger"] == {"currency": "'USD'", "note": "''"}
    assert reads.optional_shown("trigger") == [
        "currency (default 'USD')",
        "items",
        "quiet",
        "note (default '')",
    ]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("{{ trigger.items[0].name }}", ["items[0].name"]),
        ("{{ trigger['a-b'].c }}", ["a-b.c"]),
        ("{{ trigger[trigger.key] }}", ["key"]),  # the computed key itself is unknown here
        ("{% assign total = trigger.total %}{{ total }}", ["total"]),
        ("{% for line in trigger.lines %}{{ line.sku }}{% endfor %}", ["lines"]),  # not `line`
        ("{% raw %}{{ trigger.not_read }}{% endraw %}{{ trigger }}", []),
        ("{% include 'footer' %}{{ trigger.a }}", ["a"]),  # a partial is another template
    ],
)
def test_paths_as_a_model_would_pass_them(source: str, found: list[str]) -> None:
    assert template_reads(source).paths["trigger"] == found


@pytest.mark.parametrize(
    "source",
    ["{{ trigger.x | ", "{% if %}", "{% for a in b %}" * 300 + "{% endfor %}" * 300],
)
def test_what_is_not_liquid_says_so_instead_of_failing(source: str) -> None:
    reads = template_reads(source, "{{ trigger.ok }}")
    assert reads.error and reads.paths["trigger"] == ["ok"]  # the other sources still count


@pytest.mark.parametrize("source", ["{{" * 10_000, "{" * 20_000 + "}}", "{% {{ " * 3_000])
def test_runs_of_unclosed_braces_are_not_handed_to_the_lexer(source: str) -> None:
    """python-liquid's lexer scans ahead from every opener: these took it 10 s and more."""
    assert lookahead(source) > MAX_LOOKAHEAD
    reads = template_reads(source, "{{ trigger.ok }}")
    assert reads.error == "too many unclosed {{ or {% to read as Liquid"
    assert reads.paths["trigger"] == ["ok"]


def test_ordinary_html_needs_little_look_ahead() -> None:
    css = "<style>" + ".a{color:red} " * 10_000 + "</style>"
    row = "<tr><td>{{ trigger.name }}</td><td>{% if trigger.vip %}VIP{% endif %}</td></tr>"
    assert lookahead(css + row * 2_000) < MAX_LOOKAHEAD // 10


def test_a_huge_template_lists_every_key_once() -> None:
    body = "".join(f"<p>{{{{ trigger.k{i} }}}}{{{{ trigger.k0 }}}}</p>" for i in range(5_000))
    assert template_reads(body).paths["trigger"] == [f"k{i}" for i in range(5_000)]
