import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jinhu_portal", "0001_cache_table"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UserPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("large_text", models.BooleanField(default=False, verbose_name="长辈模式（大字号）")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="preference",
                                              to=settings.AUTH_USER_MODEL, verbose_name="用户")),
            ],
            options={"verbose_name": "个人偏好", "verbose_name_plural": "个人偏好"},
        ),
    ]
