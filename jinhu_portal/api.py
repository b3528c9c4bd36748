from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers


class ModelMessagesMixin:
    """DRF turns a model's Min/MaxValueValidator into its own generic message; keep the model's,
    which names the field in Chinese, so the API says the same thing as the form and the admin."""

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            try:
                model_field = model._meta.get_field(getattr(field, "source", None) or name)
            except Exception:
                continue
            bounds = (MinValueValidator, MaxValueValidator)
            own = [v for v in getattr(model_field, "validators", ()) if isinstance(v, bounds)]
            if own:
                field.validators = [v for v in field.validators if not isinstance(v, bounds)] + own
        return fields


class PortalModelSerializer(ModelMessagesMixin, serializers.ModelSerializer):
    pass
