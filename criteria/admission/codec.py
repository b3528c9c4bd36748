"""The one codec of a declaration's data: stored records ⇄ declaration JSON ⇄ step forms.

The JSON speaks the self-assessment vocabulary (docs/spec/self-assessment-api.md) and carries, beside
the keys the engine reads, every other field a record has (a brand's year, a standard's code, an
institution's partner…): `profile_input` ignores keys it does not know, and approval writes them back.

Approval updates records by their natural key (a product's name, a patent's number, a brand's kind
and name…): a matched record is changed in place, and only when a field differs; a declared item with
no match is created; a stored record the firm removed from a declared list is deleted. Nothing is
deleted and re-created, so no field is lost and the history shows what changed. Products are never
deleted (recognitions and patents point at them). A value left empty (None) means unknown: it never
erases a stored figure.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models as dj
from django.utils.translation import gettext_lazy as _

from criteria.models import Claim
from enterprises import models as m
from enterprises.permissions import FIRM_DECLARED_FIELDS

# The firm's own attributes a declaration carries (the self-assessment API's `enterprise` object).
ENTERPRISE_KEYS = ("registered_province", "independent_legal_person", "founding_date", "category",
                   "years_in_niche", "years_in_field", "years_with_new_product", "high_tech_certified",
                   "high_tech_valid_from", "high_tech_valid_until", "own_brand", "industry_average_margin")
# Yes / no / unknown answers: the Enterprise fields that are nullable booleans.
TRI_KEYS = tuple(k for k in ENTERPRISE_KEYS
                 if isinstance(m.Enterprise._meta.get_field(k), dj.BooleanField)
                 and m.Enterprise._meta.get_field(k).null)
FIGURES = m.FiscalYearRecord.FIGURES
RANKS = {"province": "rank_province", "domestic": "rank_domestic", "global": "rank_global"}


def plain(value):
    """A Python value as the declaration JSON holds it."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def python(model_field, value):
    """A JSON value as the model field holds it (empty is None, or "" for a text field)."""
    if value is None or value == "":
        if isinstance(model_field, dj.BooleanField) and not model_field.null:
            return False
        return None if model_field.null or not isinstance(model_field, (dj.CharField, dj.TextField)) else ""
    if isinstance(model_field, dj.BooleanField) and not model_field.null:
        return bool(value)
    return model_field.to_python(value)


def supplies(value):
    """`supplies_leading_enterprise` may be a customer's name or, in the API, a yes / no."""
    if value is None or value is False:
        return ""
    if value is True:
        return "是"
    return str(value).strip()


# --- The lists of records a firm declares -------------------------------------------------------

def _by(*names):
    return lambda v: tuple(v.get(n) for n in names)


def _ip_key(v):
    # A patent is its number; an item without one (专有技术, an application not yet numbered) its title.
    return (v.get("ip_type"), "number", v["number"]) if v.get("number") else (v.get("ip_type"), "title", v.get("title"))


def _standard_key(v):
    return ("code", v["code"]) if v.get("code") else ("name", v.get("name"))


@dataclass(frozen=True)
class Kind:
    """One kind of record: its list in the JSON, its model, and how the two name each field."""

    key: str                          # the list's name in the declaration JSON
    model: type
    fields: tuple                     # (JSON key, model field name), in the order forms show them
    natural_key: object               # model values -> the tuple that identifies a record
    fallback: dict = field(default_factory=dict)  # model field -> value (or callable of the values)
                                      # for items of older declarations that lack a required field
    loose: tuple = ("name",)          # model fields matched when the natural key finds nothing

    def loose_key(self, values):
        return tuple(values.get(n) for n in self.loose)

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def json_keys(self):
        return [k for k, _f in self.fields]

    def model_field(self, name):
        return self.model._meta.get_field(name)

    def related(self, firm):
        return getattr(firm, f"{self.model._meta.model_name}s")

    def item(self, record):
        """A stored record as a declared item, every field included."""
        out = {}
        for key, name in self.fields:
            f = self.model_field(name)
            out[key] = (getattr(record, name).name if getattr(record, f.attname) else "") if f.is_relation \
                else plain(getattr(record, name))
        return out

    def values(self, item, products):
        """A declared item as model values, for the keys the item has."""
        out = {}
        for key, name in self.fields:
            if key not in item:
                continue
            f = self.model_field(name)
            if f.is_relation:
                product = products.get(str(item[key] or "").strip())
                out[f.attname] = product.pk if product else None
            else:
                out[name] = python(f, item[key])
        return out

    def complete(self, values):
        """The values with what an older item lacks: the fallback, else the field's default."""
        out = dict(values)
        for key, name in self.fields:
            f = self.model_field(name)
            if f.attname in out and out[f.attname] not in ("", None):
                continue
            if name in self.fallback:
                fallback = self.fallback[name]
                out[f.attname] = str(fallback(out) if callable(fallback) else fallback)
            elif f.attname not in out:
                out[f.attname] = f.get_default()
        return out

    def stored_values(self, record):
        return {self.model_field(name).attname: getattr(record, self.model_field(name).attname)
                for _key, name in self.fields}


KINDS = (
    Kind("ip", m.IPItem, (("type", "ip_type"), ("status", "status"), ("title", "title"), ("number", "number"),
                          ("applied_on", "applied_on"), ("granted_on", "granted_on"), ("product", "product"),
                          ("high_value", "high_value"), ("self_developed", "self_developed")),
         _ip_key, {"status": m.IPStatus.GRANTED, "title": lambda v: m.IPType(v["ip_type"]).label},
         ("ip_type", "title")),
    Kind("rd_institutions", m.RDInstitution, (("name", "name"), ("level", "level"), ("joint", "joint"),
                                              ("partner", "partner"), ("recognized_year", "recognized_year")),
         _by("name"), {"name": _("研发机构")}),
    Kind("brands", m.Brand, (("name", "name"), ("kind", "kind"), ("level", "level"), ("year", "year")),
         _by("kind", "name"), {"name": _("品牌")}, loose=("kind",)),
    Kind("certifications", m.Certification, (("kind", "kind"), ("name", "name"), ("issued_on", "issued_on"),
                                             ("valid_until", "valid_until")),
         _by("kind", "name"), {"name": lambda v: m.CertificationKind(v["kind"]).label}, loose=("kind",)),
    Kind("standards", m.Standard, (("name", "name"), ("code", "code"), ("level", "level"), ("role", "role"),
                                   ("year", "year")),
         _standard_key, {"name": _("标准"), "role": m.StandardRole.JOINED}),
    Kind("information_systems", m.InformationSystem, (("kind", "kind"), ("name", "name"),
                                                      ("core_business", "core_business")),
         _by("kind", "name"), loose=("kind",)),
    Kind("competitions", m.Competition, (("name", "name"), ("level", "level"), ("year", "year"),
                                         ("result", "result")),
         _by("name", "year"), {"name": _("创新大赛")}),  # loose: the same contest, its year corrected
)
KIND = {k.key: k for k in KINDS}
# Every list the firm declares; recognitions, bad records and staff judgments stay with staff.
DECLARED_LISTS = ("products",) + tuple(KIND)


# --- Stored records → declaration ---------------------------------------------------------------

def product_item(product, years):
    return {"name": product.name,
            "revenue": {str(r.year): plain(r.revenue) for r in product.revenues.all() if r.year in years},
            "market_rank": {scope: getattr(product, name) for scope, name in RANKS.items()
                            if getattr(product, name) is not None},
            "supplies_leading_enterprise": product.supply_chain_customer, "key_field": product.key_field,
            "strategic_emerging": product.strategic_emerging}


def from_records(firm, years):
    """What the portal holds for the firm, as a declaration says it."""
    data = {"enterprise": {k: plain(getattr(firm, k)) for k in ENTERPRISE_KEYS}, "claims": []}
    data["enterprise"]["industry_tags"] = sorted(set(firm.industry_tags.values_list("name", flat=True)))
    data["financials"] = [{"year": fy.year, **{f: plain(getattr(fy, f)) for f in FIGURES}}
                          for fy in firm.fiscal_years.filter(year__in=years).order_by("year")]
    data["products"] = [product_item(p, years) for p in firm.products.prefetch_related("revenues")]
    for kind in KINDS:
        records = kind.related(firm).all()
        if kind.key == "ip":
            records = records.select_related("product")
        data[kind.key] = [kind.item(r) for r in records.order_by(*kind.model._meta.ordering, "pk")]
    return data


# --- Declaration → stored records ---------------------------------------------------------------

def _save(record, changes, user, created=False):
    """Write only what differs; returns whether anything was written."""
    changes = {k: v for k, v in changes.items() if created or getattr(record, k) != v}
    if not changes and not created:
        return False
    for k, v in changes.items():
        setattr(record, k, v)
    record._history_user = user
    record.full_clean(exclude=["enterprise", "product"], validate_unique=False)
    record.save()
    return True


def to_records(data, firm, user, year):
    """Write an approved declaration to the firm's records. Returns the fiscal years whose figures were
    written, and whether anything else changed (the firm's fields, products, lists, claims)."""
    firm = m.Enterprise.objects.get(pk=firm.pk)
    changed = _write_enterprise(firm, data.get("enterprise") or {}, user)
    years = _write_financials(firm, data.get("financials") or [], user)
    products = {p.name: p for p in firm.products.all()}
    changed |= _write_products(firm, data.get("products"), products, user)
    for kind in KINDS:
        changed |= _sync(kind, firm, data.get(kind.key), products, user)
    for claim in data.get("claims") or []:
        tier, _dot, code = claim.partition(".")
        changed |= Claim.objects.get_or_create(enterprise=firm, tier=tier, year=year, code=code)[1]
    return years, bool(changed)


def _write_enterprise(firm, ent, user):
    changes = {}
    for key in ENTERPRISE_KEYS:
        # only what the firm may declare goes back; values staff set (the S4a margin) stay theirs
        if key in FIRM_DECLARED_FIELDS and ent.get(key) not in (None, ""):
            changes[key] = python(m.Enterprise._meta.get_field(key), ent[key])
    changes = {k: v for k, v in changes.items() if getattr(firm, k) != v}
    if changes:
        for k, v in changes.items():
            setattr(firm, k, v)
        firm._history_user = user
        firm.full_clean(exclude=["town", "industry_tags"])
        firm.save(update_fields=[*changes, "updated_at"])
    tags_changed = False
    firm._history_user = user          # the history rows a tag change writes name the approver too
    if ent.get("industry_tags") is not None:
        # Tags are declared by name; a name may sit in several taxonomies, so keep the tags whose
        # names remain and add every tag of a new name.
        names = set(ent["industry_tags"])
        current = list(firm.industry_tags.all())
        gone = [t for t in current if t.name not in names]
        new = m.IndustryTag.objects.filter(name__in=names - {t.name for t in current})
        if gone:
            firm.industry_tags.remove(*gone)
        if new:
            firm.industry_tags.add(*new)
        tags_changed = bool(gone or new)
    return bool(changes) or tags_changed


def _write_financials(firm, financials, user):
    stored = {fy.year: fy for fy in firm.fiscal_years.all()}
    written = set()
    for row in financials:
        figures = {f: python(m.FiscalYearRecord._meta.get_field(f), row.get(f))
                   for f in FIGURES if row.get(f) not in (None, "")}
        if not figures:
            continue
        year = int(row["year"])
        record = stored.get(year)
        created = record is None
        if created:
            record = m.FiscalYearRecord(enterprise=firm, year=year)
        if _save(record, figures, user, created):
            written.add(year)
    return written


def _write_products(firm, items, products, user):
    if items is None:
        return False
    changed = False
    for item in items:
        name = str(item.get("name") or "").strip()
        if not name:
            continue
        values = {}
        if "market_rank" in item:
            ranks = item.get("market_rank") or {}
            values.update({f: python(m.Product._meta.get_field(f), ranks.get(scope)) for scope, f in RANKS.items()})
        if "supplies_leading_enterprise" in item:
            values["supply_chain_customer"] = supplies(item["supplies_leading_enterprise"])
        if item.get("key_field") is not None:
            values["key_field"] = bool(item["key_field"])
        if item.get("strategic_emerging") is not None:   # unknown never erases a stored answer
            values["strategic_emerging"] = bool(item["strategic_emerging"])
        product = products.get(name)
        created = product is None
        if created:
            product = products[name] = m.Product(enterprise=firm, name=name)
        changed |= _save(product, values, user, created)
        revenues = {r.year: r for r in product.revenues.all()} if not created else {}
        field = m.ProductRevenue._meta.get_field("revenue")
        for year, value in (item.get("revenue") or {}).items():
            if value in (None, ""):
                continue
            stored = revenues.get(int(year))
            if stored is None:
                stored = m.ProductRevenue(product=product, year=int(year))
                changed |= _save(stored, {"revenue": python(field, value)}, user, created=True)
            else:
                changed |= _save(stored, {"revenue": python(field, value)}, user)
    return changed


def _sync(kind, firm, items, products, user):
    """A declared list is the firm's whole list of that kind (as in the self-assessment API)."""
    if items is None:
        return False
    declared = [(values, kind.complete(values)) for values in (kind.values(item, products) for item in items)]
    left = list(kind.related(firm).order_by("pk"))
    matched = {}
    # By natural key first; then, among what is left, by the looser key an older declaration could
    # give (a standard named without its code), so such an item still updates its record.
    for key in (kind.natural_key, kind.loose_key):
        waiting = defaultdict(list)
        for record in left:
            waiting[key(kind.stored_values(record))].append(record)
        for i, (_values, full) in enumerate(declared):
            if i not in matched and waiting.get(key(full)):
                matched[i] = waiting[key(full)].pop(0)
        left = [r for records in waiting.values() for r in records]
    changed = False
    for i, (values, full) in enumerate(declared):
        if i in matched:
            # Only what the item says; a field it lacks (an older declaration) stays as stored.
            changed |= _save(matched[i], {k: full[k] for k in values}, user)
        else:
            changed |= _save(kind.model(enterprise=firm), full, user, created=True)
    for record in left:
        record._history_user = user
        record.delete()
        changed = True
    return changed


# --- Declaration ⇄ step forms -------------------------------------------------------------------

def _tri(value):
    return {True: "true", False: "false"}.get(value, "")


def _untri(value):
    return {"true": True, "false": False}.get(value)


def initial(step, data, round_):
    """The initial values of a step's forms, by form name."""
    if step == "basic":
        ent = dict(data.get("enterprise") or {})
        return {"form": {**ent, **{k: _tri(ent.get(k)) for k in TRI_KEYS}}}
    if step == "financials":
        return {"formset": sorted((f for f in data.get("financials") or [] if f.get("year") in round_.years),
                                  key=lambda f: f["year"])}
    if step == "products":
        year = str(round_.year)
        return {"formset": [{"name": p.get("name"), "revenue": (p.get("revenue") or {}).get(year),
                             **{name: (p.get("market_rank") or {}).get(scope) for scope, name in RANKS.items()},
                             "supplies_leading_enterprise": supplies(p.get("supplies_leading_enterprise")),
                             "key_field": bool(p.get("key_field")),
                             "strategic_emerging": _tri(p.get("strategic_emerging"))}
                            for p in data.get("products") or []]}
    if step == "records":
        return {kind.key: [_row(kind, item) for item in data.get(kind.key) or []] for kind in KINDS}
    if step == "claims":
        return {"form": {"claims": data.get("claims") or []}}
    return {}


def _row(kind, item):
    """A form row for a declared item; an older item's missing name shows its fallback."""
    row = {key: item.get(key) for key in kind.json_keys}
    try:
        full = kind.complete(kind.values(item, {}))
    except (KeyError, ValueError, ValidationError):
        return row
    for key, name in kind.fields:
        if row[key] in (None, "") and name in kind.fallback:
            row[key] = full[name]
    return row


def _rows(formset):
    """(the row's index among the initial rows or None, its cleaned data) for the rows kept."""
    count = formset.initial_form_count()
    for i, form in enumerate(formset.forms):
        c = form.cleaned_data
        if c and not c.get("DELETE"):
            yield (i if i < count else None), c


def update(step, data, forms, round_):
    """The declaration's data after a step's valid forms are saved. Keys a form does not show are
    kept from the item the row was made from, so a save loses nothing."""
    data = dict(data)
    if step == "basic":
        c = forms["form"].cleaned_data
        ent = {k: (_untri(v) if k in TRI_KEYS else None if v == "" else plain(v)) for k, v in c.items()}
        data["enterprise"] = {**(data.get("enterprise") or {}), **ent}
    elif step == "financials":
        old = {f.get("year"): f for f in data.get("financials") or []}
        new = {c["year"]: {**old.get(c["year"], {}), "year": c["year"], **{f: plain(c.get(f)) for f in FIGURES}}
               for _i, c in _rows(forms["formset"])}
        data["financials"] = sorted([f for y, f in old.items() if y not in new] + list(new.values()),
                                    key=lambda f: f.get("year") or 0)
    elif step == "products":
        year, old = str(round_.year), data.get("products") or []
        products = []
        for i, c in _rows(forms["formset"]):
            before = old[i] if i is not None and i < len(old) else {}
            revenue = dict(before.get("revenue") or {})
            if c["revenue"] is None:
                revenue.pop(year, None)
            else:
                revenue[year] = plain(c["revenue"])
            products.append({**before, "name": c["name"], "revenue": revenue,
                             "market_rank": {scope: c[name] for scope, name in RANKS.items() if c[name] is not None},
                             "supplies_leading_enterprise": c["supplies_leading_enterprise"],
                             "key_field": c["key_field"],
                             "strategic_emerging": _untri(c.get("strategic_emerging", ""))})
        data["products"] = products
    elif step == "records":
        for kind in KINDS:
            old = data.get(kind.key) or []
            data[kind.key] = [{**(old[i] if i is not None and i < len(old) else {}),
                               **{k: plain(c.get(k)) for k in kind.json_keys}}
                              for i, c in _rows(forms[kind.key])]
    elif step == "claims":
        data["claims"] = forms["form"].cleaned_data["claims"]
    return data
