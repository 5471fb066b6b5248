"""The public pages' Jinja2 environment prints what Django's templates printed: the same messages looked up in
the one catalogue, values escaped and localized as Django does."""

import datetime
from pathlib import Path

import polib
import pytest
from django.template import engines
from django.utils import translation
from jinja2 import nodes

from lib.jinja_i18n import TranslationTags

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def messages_looked_up(name):
    """(context, message, plural) of each translation tag in a template, as the page looks them up."""
    env = engines["jinja2"].env
    tree = env.parse(env.loader.get_source(env, name)[0])
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.ExtensionAttribute) and call.node.identifier.endswith(TranslationTags.__name__):
            args = call.args
            if call.node.name == "_translate":
                context = args[1].value if len(args) > 1 else None
                yield context, args[0].value.replace("%", "%%"), None
            else:
                yield args[3].value if isinstance(args[3], nodes.Const) else None, args[0].value, args[1].value


def test_every_message_a_public_template_looks_up_is_in_the_catalogue_makemessages_writes():
    """makemessages reads the templates' tags as Django's; the pages look up what it wrote, to the letter."""
    catalogue = {(entry.msgctxt, entry.msgid, entry.msgid_plural or None) for entry in polib.pofile(CATALOGUE)}
    looked_up = {
        (path.relative_to(TEMPLATES).as_posix(), message)
        for path in TEMPLATES.rglob("*.html")
        for message in messages_looked_up(path.relative_to(TEMPLATES).as_posix())
    }
    assert len(looked_up) > 350
    missing = [f"{name}: {message}" for name, message in looked_up if message not in catalogue]
    assert not missing, "\n".join(missing)


def test_a_value_is_escaped_and_localized_as_django_prints_it():
    with translation.override("fr"):
        page = render(
            "{{ quote }} {{ day }} {{ 1234 }} {{ missing.anything }}|",
            quote='O\'Neil & "co"',
            day=datetime.date(2009, 11, 4),
        )
    assert page == "O&#x27;Neil &amp; &quot;co&quot; 4 novembre 2009 1234 |"


def test_a_filter_that_escapes_leaves_a_page_that_is_not_html_as_it_is():
    value = "a < b\nc"
    assert render("{{ value|linebreaksbr }}", value=value) == "a &lt; b<br>c"
    assert render("{% autoescape false %}{{ value|linebreaksbr }}{% endautoescape %}", value=value) == "a < b<br>c"


def test_blocktranslate_translates_counts_and_escapes_its_values():
    source = (
        '{% blocktranslate trimmed count counter=n with noun=noun %}{{ counter }} "{{ noun }}"'
        "{% plural %}{{ counter }} « {{ noun }} »{% endblocktranslate %}"
    )
    assert render(source, n=1, noun="<b>") == '1 "&lt;b&gt;"'
    assert render(source, n=2, noun="<b>") == "2 « &lt;b&gt; »"


def test_translate_looks_up_in_the_page_language_with_its_context_and_keeps_its_markup():
    with translation.override("fr"):
        assert render('{% translate "Filters" %}') == "Filtres"
        assert render('{% translate "None" context "no value in a facet" as nothing %}[{{ nothing }}]') == "[Aucune]"
    assert render('{% translate "a <b>bold</b> 100%" %}') == "a <b>bold</b> 100%"


def test_a_translation_naming_a_value_the_message_lacks_falls_back_to_the_english(monkeypatch):
    monkeypatch.setattr(translation, "gettext", lambda message: "%(other)s")
    assert (
        render("{% blocktranslate with name=name %}Hello {{ name }}{% endblocktranslate %}", name="Ann") == "Hello Ann"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "{% blocktranslate %}{% if x %}{% endif %}{% endblocktranslate %}",
        "{% translate 'x' y %}",
        "{% blocktranslate %}one{% plural %}many{% endblocktranslate %}",
    ],
)
def test_a_malformed_translation_tag_is_refused_when_the_template_is_read(tag):
    from jinja2 import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        engines["jinja2"].from_string(tag)
