"""Django's translation tags in Jinja2 templates: `{% translate %}` and `{% blocktranslate %}`, written as on a
Django template, so that `makemessages` finds their messages in the templates as it finds them in Django's.

    {% translate "Filters" %}
    {% translate "None" context "no value in a facet" %}
    {% translate "not in our sources" as not_in_sources %}
    {% blocktranslate trimmed with url=event.url title=event.title %}
      another event's point, <a href="{{ url }}">{{ title }}</a>
    {% endblocktranslate %}
    {% blocktranslate count points=total %}{{ points }} point{% plural %}{{ points }} points{% endblocktranslate %}

Each message is the one Django's tags would look up, and prints as theirs prints: the translation as written
(it may hold markup), each value in it localized and escaped as a printed value is.
"""

from django.utils import translation
from jinja2 import nodes, pass_eval_context
from jinja2.ext import Extension
from markupsafe import Markup


def translate(message, context=None):
    """`{% translate %}`: a literal's translation. Django doubles a literal's percent signs to look it up."""
    message = message.replace("%", "%%")
    found = translation.pgettext(context, message) if context else translation.gettext(message)
    return Markup(found.replace("%%", "%"))


class TranslationTags(Extension):
    tags = {"translate", "trans", "blocktranslate", "blocktrans"}

    def parse(self, parser):
        tag = next(parser.stream)
        if tag.value in ("translate", "trans"):
            return self.parse_translate(parser, tag.lineno)
        return self.parse_block(parser, tag.lineno)

    def parse_translate(self, parser, lineno):
        args = [parser.parse_expression()]
        target = None
        while parser.stream.current.type != "block_end":
            word = parser.stream.expect("name").value
            if word == "context":
                args.append(parser.parse_expression())
            elif word == "as":
                target = parser.stream.expect("name").value
            else:
                parser.fail(f"translate: unknown option {word!r}", lineno)
        call = self.call_method("_translate", args, lineno=lineno)
        if target:
            return nodes.Assign(nodes.Name(target, "store"), call, lineno=lineno)
        return nodes.Output([call], lineno=lineno)

    def parse_block(self, parser, lineno):
        values, trimmed, counter, context, target = {}, False, None, None, None
        while parser.stream.current.type != "block_end":
            word = parser.stream.expect("name").value
            if word == "trimmed":
                trimmed = True
            elif word == "with":
                while parser.stream.current.type == "name" and parser.stream.look().type == "assign":
                    name = next(parser.stream).value
                    next(parser.stream)
                    values[name] = parser.parse_expression()
            elif word == "count":
                name = parser.stream.expect("name").value
                parser.stream.expect("assign")
                counter = (name, parser.parse_expression())
            elif word == "context":
                context = parser.parse_expression()
            elif word == "asvar":
                target = parser.stream.expect("name").value
            else:
                parser.fail(f"blocktranslate: unknown option {word!r}", lineno)
        parser.stream.expect("block_end")
        singular, names, ended_by = self.message(parser, trimmed)
        plural = None
        if ended_by == "plural":
            if counter is None:
                parser.fail("blocktranslate: {% plural %} needs a count (count name=number)", lineno)
            plural, plural_names, _ = self.message(parser, trimmed)
            names += plural_names
        if counter is not None:
            values[counter[0]] = counter[1]
        for name in names:
            values.setdefault(name, nodes.Name(name, "load"))
        args = [
            nodes.Const(singular),
            nodes.Const(plural),
            nodes.Const(counter[0] if counter else None),
            context if context is not None else nodes.Const(None),
            nodes.Dict([nodes.Pair(nodes.Const(name), value) for name, value in values.items()]),
        ]
        call = self.call_method("_blocktranslate", args, lineno=lineno)
        if target:
            return nodes.Assign(nodes.Name(target, "store"), call, lineno=lineno)
        return nodes.Output([call], lineno=lineno)

    def message(self, parser, trimmed):
        """The message up to `{% plural %}` or `{% endblocktranslate %}`, as Django writes it for the catalogue:
        each `{{ name }}` as `%(name)s`, the text's percent signs doubled."""
        parts, names = [], []
        stream = parser.stream
        while True:
            if stream.current.type == "data":
                parts.append(stream.current.value.replace("%", "%%"))
                next(stream)
            elif stream.current.type == "variable_begin":
                next(stream)
                name = stream.expect("name").value
                names.append(name)
                parts.append(f"%({name})s")
                stream.expect("variable_end")
            elif stream.current.type == "block_begin":
                next(stream)
                ended_by = stream.expect("name").value
                if ended_by not in ("plural", "endblocktranslate", "endblocktrans"):
                    parser.fail(f"blocktranslate holds text and {{{{ names }}}} only, not {ended_by!r}")
                if ended_by == "plural":
                    stream.expect("block_end")
                # The tag's end is the parser's to read, as after any other statement.
                break
            else:
                parser.fail("blocktranslate is not closed")
        message = "".join(parts)
        if trimmed:
            message = translation.trim_whitespace(message)
        return message, names, "plural" if ended_by == "plural" else "end"

    def _translate(self, message, context=None):
        return translate(message, context)

    @pass_eval_context
    def _blocktranslate(self, eval_context, singular, plural, counter, context, values):
        printed = self.environment.finalize
        data = {name: printed(eval_context, value) for name, value in values.items()}
        if plural is not None:
            count = values[counter]
            if context:
                found = translation.npgettext(context, singular, plural, count)
            else:
                found = translation.ngettext(singular, plural, count)
            english = singular if count == 1 else plural
        else:
            found = translation.pgettext(context, singular) if context else translation.gettext(singular)
            english = singular
        try:
            return Markup(found % data)
        except (KeyError, ValueError):
            # A translation that names a value the message does not have: the English, as Django falls back.
            return Markup(english % data)
