"""挂钩帮扶 links: the list (scoped, filtered), staff create (several pool firms at once), edit and end
a link, and each linked person's 我的挂钩企业 with the last visit and the overdue flag."""
import django_tables2 as tables
from django.contrib import messages
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from jinhu_portal.decorators import perm_required, roles_required
from jinhu_portal.roles import STAFF_ROLES, Role, is_staff_role
from jinhu_portal.tables import NOWRAP_ATTRS, TITLE_ATTRS, stacked_table_attrs
from jinhu_portal.templatetags.portal_format import person_name

from .. import services
from ..filters import LinkFilter
from ..forms import LinkCreateForm, LinkEndForm, LinkForm
from ..models import Link

LINKED_ROLES = (Role.STAFF, Role.ADMIN, Role.LEADER, Role.MEMBER_UNIT, Role.TOWN_OFFICER)


def _date(value):
    return value.isoformat() if value else "—"


class LinkTable(tables.Table):
    enterprise = tables.Column(verbose_name=gettext_lazy("挂钩企业"), attrs=TITLE_ATTRS,
                               order_by=("enterprise__name",))
    town = tables.Column(accessor="enterprise__town__name", verbose_name=gettext_lazy("镇（街道、开发区）"),
                         order_by=("enterprise__town__order",))
    person = tables.Column(verbose_name=gettext_lazy("挂钩人"), order_by=("person__last_name", "person__username"))
    kind = tables.Column(verbose_name=gettext_lazy("挂钩类型"))
    member_unit = tables.Column(verbose_name=gettext_lazy("所在部门"), default="—")
    period = tables.Column(verbose_name=gettext_lazy("挂钩期间"), accessor="starts_on", attrs=NOWRAP_ATTRS)
    last_visit = tables.Column(verbose_name=gettext_lazy("最近走访"), attrs=NOWRAP_ATTRS, default="—")
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, attrs=NOWRAP_ATTRS)

    class Meta:
        attrs = stacked_table_attrs(id="links")
        empty_text = gettext_lazy("没有符合条件的挂钩记录。")

    def __init__(self, *args, can_edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        if not can_edit:
            self.columns.hide("actions")

    def render_enterprise(self, record):
        return format_html('<a href="{}">{}</a>', record.enterprise.get_absolute_url(), record.enterprise.name)

    def render_person(self, record):
        return person_name(record.person)

    def render_period(self, record):
        ended = record.ends_on is not None and record.ends_on < self.today
        return format_html("{} 至 {}{}", _date(record.starts_on),
                           _date(record.ends_on) if record.ends_on else _("今"),
                           format_html(' <span class="badge text-bg-secondary">{}</span>', _("已结束"))
                           if ended else "")

    def render_last_visit(self, record):
        if services.is_overdue(record.last_visit, self.today):
            return format_html('{} <span class="badge text-bg-warning">{}</span>', _date(record.last_visit),
                               _("超期未走访"))
        return _date(record.last_visit)

    def render_actions(self, record):
        edit = format_html('<a href="{}" aria-label="{} {}">{}</a>', reverse("services:link_update", args=[record.pk]),
                           _("编辑"), record.enterprise.name, _("编辑"))
        if record.ends_on is None or record.ends_on >= self.today:
            return format_html('{} · <a href="{}">{}</a>', edit, reverse("services:link_end", args=[record.pk]),
                               _("结束挂钩"))
        return edit


def _in_scope(user):
    return (Link.objects.visible_to(user).select_related("enterprise__town", "person")
            .annotate(last_visit=Max("enterprise__visits__visited_on"))
            .order_by("enterprise__town__order", "enterprise__name", "starts_on", "pk"))


@perm_required("services.view_link")
def link_list(request):
    data = request.GET.copy()
    if not data:
        data["current"] = "on"
    filterset = LinkFilter(data, queryset=_in_scope(request.user))
    can_edit = is_staff_role(request.user)
    table = LinkTable(filterset.qs, can_edit=can_edit)
    RequestConfig(request, paginate={"per_page": 30}).configure(table)
    return render(request, "services/link_list.html", {"filter": filterset, "table": table, "can_edit": can_edit,
                                                       "interval": services.visit_interval_days()})


@roles_required(*STAFF_ROLES)
def link_create(request):
    initial = {"starts_on": timezone.localdate()}
    wanted = request.GET.get("enterprise", "")
    if wanted.isdigit():
        initial["enterprises"] = [int(wanted)]
    form = LinkCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        links = form.save()
        messages.success(request, _("已为%(person)s挂钩%(n)s家企业：%(firms)s。") % {
            "person": person_name(links[0].person), "n": len(links),
            "firms": "、".join(link.enterprise.name for link in links)})
        return redirect("services:link_list")
    return render(request, "services/link_form.html", {"form": form, "title": _("新增挂钩帮扶")})


@roles_required(*STAFF_ROLES)
def link_update(request, pk):
    link = get_object_or_404(_in_scope(request.user), pk=pk)
    form = LinkForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存%(firm)s的挂钩：%(person)s。") % {
            "firm": link.enterprise.name, "person": person_name(link.person)})
        return redirect("services:link_list")
    return render(request, "services/link_form.html", {"form": form, "title": _("编辑挂钩帮扶"), "link": link})


@roles_required(*STAFF_ROLES)
def link_end(request, pk):
    link = get_object_or_404(_in_scope(request.user), pk=pk)
    form = LinkEndForm(request.POST or None, link=link)
    if request.method == "POST" and form.is_valid():
        link.ends_on = form.cleaned_data["ends_on"]
        link.save(update_fields=["ends_on"])
        messages.success(request, _("%(person)s与%(firm)s的挂钩已于%(d)s结束。") % {
            "person": person_name(link.person), "firm": link.enterprise.name, "d": link.ends_on.isoformat()})
        return redirect("services:link_list")
    return render(request, "services/link_form.html", {"form": form, "title": _("结束挂钩帮扶"), "link": link})


@roles_required(*LINKED_ROLES)
def my_links(request):
    """我的挂钩企业: the firms currently linked to me, those overdue for a visit first."""
    today = timezone.localdate()
    links = list(services.current_links(today).filter(person=request.user)
                 .select_related("enterprise__town")
                 .annotate(last_visit=Max("enterprise__visits__visited_on"),
                           my_last_visit=Max("enterprise__visits__visited_on",
                                             filter=Q(enterprise__visits__visitor=request.user)))
                 .order_by("enterprise__name"))
    for link in links:
        link.overdue = services.is_overdue(link.last_visit, today)
    links.sort(key=lambda link: (not link.overdue, link.last_visit or today.replace(year=1), link.enterprise.name))
    return render(request, "services/my_links.html", {
        "links": links, "overdue": sum(link.overdue for link in links), "interval": services.visit_interval_days(),
        "may_record": bool(links) or services.may_record_any_visit(request.user)})


urlpatterns = [
    path("links/", link_list, name="link_list"),
    path("links/new/", link_create, name="link_create"),
    path("links/<int:pk>/edit/", link_update, name="link_update"),
    path("links/<int:pk>/end/", link_end, name="link_end"),
    path("links/mine/", my_links, name="my_links"),
]
