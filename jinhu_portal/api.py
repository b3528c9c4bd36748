from django.core.validators import MaxValueValidator, MinValueValidator
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers

from .limits import LockoutAwareBasicAuthentication


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


# ---------------------------------------------------------------------------------------------
# The schema names every status an operation answers
# ---------------------------------------------------------------------------------------------

class ErrorDetailSerializer(serializers.Serializer):
    """错误响应：`{"detail": "<中文提示>"}`。"""

    detail = serializers.CharField()


class LockoutAwareBasicScheme(BasicScheme):
    """The API's Basic auth is plain HTTP Basic in the schema (`basicAuth`)."""

    target_class = LockoutAwareBasicAuthentication


VALIDATION_ERRORS = {
    "type": "object", "additionalProperties": {},
    "description": "按字段给出的错误：{\"<字段>\": [\"<中文提示>\"]}（非字段错误在 non_field_errors 下）",
}


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the error statuses DRF answers on its own, each with its
    body, unless the view declares that status itself:

    - 400 for a body to validate, or a list's filters; 415 for a body that is not JSON;
    - 403 when the view needs a login (DRF answers 403, not 401, as session auth comes first);
    - 404 for a path with an id, or a list's page number beyond the end;
    - 429 when the view takes Basic auth: a locked-out login.

    A view with `request_body_required = True` declares its body required even when every field
    of it is optional (the self-assessment: `{}` is a request, no body at all is not JSON).
    """

    def _error_responses(self):
        view = self.view
        has_body = self.method in ("POST", "PUT", "PATCH")
        public = all(issubclass(p, permissions.AllowAny) for p in getattr(view, "permission_classes", ()))
        is_list = self.method == "GET" and self._is_list_view()
        errors = {}
        if has_body or (is_list and self.get_filter_backends()):
            errors["400"] = (VALIDATION_ERRORS, "请求数据有误")
        if not public:
            errors["403"] = (ErrorDetailSerializer, "未登录，或无权进行此操作")
        if "{" in self.path or is_list:
            errors["404"] = (ErrorDetailSerializer, "记录不存在或不在本人可见范围内（列表：页码超出范围）")
        if has_body:
            errors["415"] = (ErrorDetailSerializer, "请求体须为 application/json")
        if any(issubclass(a, LockoutAwareBasicAuthentication) for a in getattr(view, "authentication_classes", ())):
            errors["429"] = (ErrorDetailSerializer, "登录失败次数过多，暂时锁定")
        return errors

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A field's own bounds (`min_value`, `max_value`, `max_length`) in its schema, also for the
        custom fields whose schema is given by `extend_schema_field` (the self-assessment's)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict) or "$ref" in schema:
            return schema
        if schema.get("type") == "integer":
            for attr, key in (("min_value", "minimum"), ("max_value", "maximum")):
                if isinstance(getattr(field, attr, None), int):
                    schema.setdefault(key, getattr(field, attr))
        if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
            if isinstance(getattr(field, "max_length", None), int):
                schema.setdefault("maxLength", field.max_length)
        return schema

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body is not None and getattr(self.view, "request_body_required", False):
            body["required"] = True       # every field optional, but a body there must be
        return body

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (body, description) in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=body, description=description), code, direction=direction)
        return responses
