from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0007_acronym_is_an_address"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["meeting", "parent"], name="recommendation_meeting_parent"),
        ),
    ]
