"""Who may write which field: the one definition the API serializers and the HTML forms obey.

`WRITABLE_FIELDS[model][role]` lists the fields a role may write on a record it reaches; which
records it reaches is still its scope (`Model.objects.visible_to(user)`). A field a role does not
list is refused by the API (403, the field named in Chinese: `{"town": ["企业用户不能修改此字段：…"]}`,
sending the stored value back unchanged is not a write) and not offered by the HTML form (a forged
POST of it changes nothing). A field no role lists is written by nobody through the API or the
forms (`pool_status` moves only through admission and re-verification).

The model permissions of jinhu_portal/roles.py agree with this map: a role may change a model
exactly when it lists fields for it (tests/jinhu_portal/test_field_permissions.py checks both, and
fails when a serializer or form gains a writable field this map does not mention).
"""
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from jinhu_portal.roles import Role, role_of

from .models import Enterprise, FiscalYearRecord, Product

# What a firm keeps up to date itself: descriptive fields no criterion reads.
FIRM_OWN_FIELDS = ("address", "main_business", "contact_person", "contact_phone")
# What the criteria read about a firm: the firm changes them through the 基本信息 step of a
# declaration (written to the record when staff approve it); staff may correct them directly.
FIRM_DECLARED_FIELDS = ("category", "industry_tags", "registered_province", "independent_legal_person",
                        "founding_date", "years_in_niche", "years_in_field", "years_with_new_product",
                        "high_tech_certified", "high_tech_valid_from", "high_tech_valid_until", "own_brand")
# Identity (name, USCC), scope (town: it decides which town officer reaches the firm) and values
# staff set (the industry average margin is the threshold of 附件3 S4a; the liaison officer).
STAFF_ONLY_FIELDS = ("name", "uscc", "town", "industry_average_margin", "liaison_officer")

ENTERPRISE_FIELDS = (*STAFF_ONLY_FIELDS, *FIRM_DECLARED_FIELDS, *FIRM_OWN_FIELDS)
# Yearly figures and products: staff only; a firm's change through an approved declaration.
FISCAL_YEAR_FIELDS = ("enterprise", "year", *FiscalYearRecord.FIGURES)
PRODUCT_FIELDS = ("enterprise", "name", "rank_province", "rank_domestic", "rank_global", "supply_chain_customer",
                  "key_field", "strategic_emerging")

NOTHING = ()

WRITABLE_FIELDS = {
    Enterprise: {
        Role.ENTERPRISE: FIRM_OWN_FIELDS,
        Role.TOWN_OFFICER: NOTHING,
        Role.STAFF: ENTERPRISE_FIELDS,
        Role.MEMBER_UNIT: NOTHING,
        Role.LEADER: NOTHING,
        Role.ADMIN: ENTERPRISE_FIELDS,
    },
    FiscalYearRecord: {
        Role.ENTERPRISE: NOTHING,
        Role.TOWN_OFFICER: NOTHING,
        Role.STAFF: FISCAL_YEAR_FIELDS,
        Role.MEMBER_UNIT: NOTHING,
        Role.LEADER: NOTHING,
        Role.ADMIN: FISCAL_YEAR_FIELDS,
    },
    Product: {
        Role.ENTERPRISE: NOTHING,
        Role.TOWN_OFFICER: NOTHING,
        Role.STAFF: PRODUCT_FIELDS,
        Role.MEMBER_UNIT: NOTHING,
        Role.LEADER: NOTHING,
        Role.ADMIN: PRODUCT_FIELDS,
    },
}
# Shown by the API, written by no role (the serializers declare them read-only).
READ_ONLY_FIELDS = {Enterprise: ("pool_status",)}


def writable_fields(user, model):
    """The fields of `model` the user's role may write (empty for an unknown model or no role)."""
    return frozenset(WRITABLE_FIELDS.get(model, {}).get(role_of(user), NOTHING))


def mentioned_fields(model):
    """Every field the definition names for `model`, writable by someone or by nobody."""
    names = set(READ_ONLY_FIELDS.get(model, ()))
    for fields in WRITABLE_FIELDS.get(model, {}).values():
        names.update(fields)
    return names


def field_label(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def refusal(user, model, name):
    """The Chinese message refusing this user's write of this field."""
    role = role_of(user)
    who = Role(role).label if role else _("当前用户")
    return _("%(role)s不能修改此字段：%(field)s。") % {"role": who, "field": field_label(model, name)}
