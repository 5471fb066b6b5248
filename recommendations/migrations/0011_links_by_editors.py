"""Links by editors: one model for every link between records. A planned session's `held_as` and a point's
`also_reported_as` become links of it, carried over with a line of history each, before the fields go."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

CARRIED = "Carried over from the field it replaces"


def carry_over(apps, schema_editor):
    Session = apps.get_model("gfmd_sessions", "Session")
    Recommendation = apps.get_model("recommendations", "Recommendation")
    Link = apps.get_model("recommendations", "Link")
    History = apps.get_model("recommendations", "HistoricalLink")
    links = [
        Link(type="held-as", from_session_id=planned, to_session_id=held, version=1, loaded_version=1)
        for planned, held in Session.objects.filter(held_as__isnull=False).values_list("pk", "held_as").order_by("pk")
    ]
    links += [
        Link(
            type="also-reported-as",
            from_recommendation_id=point,
            to_recommendation_id=twin,
            version=1,
            loaded_version=1,
        )
        for point, twin in Recommendation.objects.filter(also_reported_as__isnull=False)
        .values_list("pk", "also_reported_as")
        .order_by("pk")
    ]
    now = timezone.now()
    for link in links:
        link.save()
        fields = {f.attname: getattr(link, f.attname) for f in Link._meta.concrete_fields}
        History.objects.create(**fields, history_date=now, history_type="+", history_change_reason=CARRIED)


def leave_the_fields(apps, schema_editor):
    """Back: the fields come back empty and the links are dropped with their table; the files hold them."""


class Migration(migrations.Migration):
    dependencies = [
        ("gfmd_sessions", "0008_texts_have_a_length_limit"),
        ("recommendations", "0010_texts_have_a_length_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalLink",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Goes up by one at every save; an edit of an older version is refused.",
                    ),
                ),
                (
                    "loaded_version",
                    models.PositiveIntegerField(
                        blank=True,
                        editable=False,
                        help_text="The version load_gfmd last wrote; a record at any other version was changed by an editor.",
                        null=True,
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("held-as", "Held as"),
                            ("also-reported-as", "Also reported as"),
                            ("restates", "Restates"),
                            ("builds-on", "Builds on"),
                            ("follows-up", "Follows up"),
                            ("answers", "Answers"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="Shown to the public: what the editor checked, and where.",
                        max_length=10000,
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        blank=True,
                        help_text="The source's words that show the link, quoted as printed; say in the note where they are.",
                        max_length=10000,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "from_activity",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="recommendations.proposedactivity",
                    ),
                ),
                (
                    "from_recommendation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="recommendations.recommendation",
                    ),
                ),
                (
                    "from_session",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="gfmd_sessions.session",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_activity",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The GMG's proposed activity it links to; or choose a session or a recommendation.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="recommendations.proposedactivity",
                    ),
                ),
                (
                    "to_recommendation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The recommendation, follow-up action or other point it links to; or choose a session or an activity.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="recommendations.recommendation",
                    ),
                ),
                (
                    "to_session",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The session it links to; or choose a recommendation or an activity.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="gfmd_sessions.session",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical link by editors",
                "verbose_name_plural": "historical links by editors",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Link",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Goes up by one at every save; an edit of an older version is refused.",
                    ),
                ),
                (
                    "loaded_version",
                    models.PositiveIntegerField(
                        blank=True,
                        editable=False,
                        help_text="The version load_gfmd last wrote; a record at any other version was changed by an editor.",
                        null=True,
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("held-as", "Held as"),
                            ("also-reported-as", "Also reported as"),
                            ("restates", "Restates"),
                            ("builds-on", "Builds on"),
                            ("follows-up", "Follows up"),
                            ("answers", "Answers"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="Shown to the public: what the editor checked, and where.",
                        max_length=10000,
                    ),
                ),
                (
                    "quote",
                    models.TextField(
                        blank=True,
                        help_text="The source's words that show the link, quoted as printed; say in the note where they are.",
                        max_length=10000,
                    ),
                ),
                (
                    "from_activity",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_out",
                        to="recommendations.proposedactivity",
                    ),
                ),
                (
                    "from_recommendation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_out",
                        to="recommendations.recommendation",
                    ),
                ),
                (
                    "from_session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_out",
                        to="gfmd_sessions.session",
                    ),
                ),
                (
                    "to_activity",
                    models.ForeignKey(
                        blank=True,
                        help_text="The GMG's proposed activity it links to; or choose a session or a recommendation.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_in",
                        to="recommendations.proposedactivity",
                    ),
                ),
                (
                    "to_recommendation",
                    models.ForeignKey(
                        blank=True,
                        help_text="The recommendation, follow-up action or other point it links to; or choose a session or an activity.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_in",
                        to="recommendations.recommendation",
                    ),
                ),
                (
                    "to_session",
                    models.ForeignKey(
                        blank=True,
                        help_text="The session it links to; or choose a recommendation or an activity.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_in",
                        to="gfmd_sessions.session",
                    ),
                ),
            ],
            options={
                "verbose_name": "link by editors",
                "verbose_name_plural": "links by editors",
                "ordering": ["type", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("from_activity__isnull", True),
                                ("from_recommendation__isnull", True),
                                ("from_session__isnull", False),
                            ),
                            models.Q(
                                ("from_activity__isnull", True),
                                ("from_recommendation__isnull", False),
                                ("from_session__isnull", True),
                            ),
                            models.Q(
                                ("from_activity__isnull", False),
                                ("from_recommendation__isnull", True),
                                ("from_session__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="link_has_one_source_record",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("to_activity__isnull", True),
                                ("to_recommendation__isnull", True),
                                ("to_session__isnull", False),
                            ),
                            models.Q(
                                ("to_activity__isnull", True),
                                ("to_recommendation__isnull", False),
                                ("to_session__isnull", True),
                            ),
                            models.Q(
                                ("to_activity__isnull", False),
                                ("to_recommendation__isnull", True),
                                ("to_session__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="link_has_one_target_record",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("from_session__isnull", True),
                                models.Q(("from_session", models.F("to_session")), _negated=True),
                                _connector="OR",
                            ),
                            models.Q(
                                ("from_recommendation__isnull", True),
                                models.Q(("from_recommendation", models.F("to_recommendation")), _negated=True),
                                _connector="OR",
                            ),
                            models.Q(
                                ("from_activity__isnull", True),
                                models.Q(("from_activity", models.F("to_activity")), _negated=True),
                                _connector="OR",
                            ),
                        ),
                        name="link_not_to_itself",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("type", "held-as"), _negated=True),
                            models.Q(("from_session__isnull", False), ("to_session__isnull", False)),
                            _connector="OR",
                        ),
                        name="held_as_links_sessions",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("type", "also-reported-as"), _negated=True),
                            models.Q(("from_recommendation__isnull", False), ("to_recommendation__isnull", False)),
                            _connector="OR",
                        ),
                        name="also_reported_as_links_points",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("type", "held-as")),
                        fields=("from_session",),
                        name="one_held_as_per_session",
                        violation_error_message="This planned session already has a “Held as” link: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("type", "also-reported-as")),
                        fields=("from_recommendation",),
                        name="one_also_reported_as_per_point",
                        violation_error_message="This point already has an “Also reported as” link: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_session__isnull", False), ("to_session__isnull", False)),
                        fields=("from_session", "type", "to_session"),
                        name="one_link_of_a_type_session_to_session",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_session__isnull", False), ("to_recommendation__isnull", False)),
                        fields=("from_session", "type", "to_recommendation"),
                        name="one_link_of_a_type_session_to_recommendation",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_session__isnull", False), ("to_activity__isnull", False)),
                        fields=("from_session", "type", "to_activity"),
                        name="one_link_of_a_type_session_to_activity",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_recommendation__isnull", False), ("to_session__isnull", False)),
                        fields=("from_recommendation", "type", "to_session"),
                        name="one_link_of_a_type_recommendation_to_session",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(
                            ("from_recommendation__isnull", False), ("to_recommendation__isnull", False)
                        ),
                        fields=("from_recommendation", "type", "to_recommendation"),
                        name="one_link_of_a_type_recommendation_to_recommendation",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_recommendation__isnull", False), ("to_activity__isnull", False)),
                        fields=("from_recommendation", "type", "to_activity"),
                        name="one_link_of_a_type_recommendation_to_activity",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_activity__isnull", False), ("to_session__isnull", False)),
                        fields=("from_activity", "type", "to_session"),
                        name="one_link_of_a_type_activity_to_session",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_activity__isnull", False), ("to_recommendation__isnull", False)),
                        fields=("from_activity", "type", "to_recommendation"),
                        name="one_link_of_a_type_activity_to_recommendation",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("from_activity__isnull", False), ("to_activity__isnull", False)),
                        fields=("from_activity", "type", "to_activity"),
                        name="one_link_of_a_type_activity_to_activity",
                        violation_error_message="This link is already recorded: edit that one instead.",
                    ),
                ],
            },
        ),
        migrations.RunPython(carry_over, leave_the_fields, elidable=False),
        migrations.RemoveField(
            model_name="historicalrecommendation",
            name="also_reported_as",
        ),
        migrations.RemoveField(
            model_name="recommendation",
            name="also_reported_as",
        ),
    ]
