"""Enterprise self-registration, activation by the town officer or staff, and the in-app inbox."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinhu_portal.decorators import roles_required
from jinhu_portal.redirects import safe_next
from jinhu_portal.roles import GROUP_NAMES, Role, role_of

from ..forms_accounts import RegistrationForm
from ..models import Notification
from ..notify import notify

User = get_user_model()
ACTIVATORS = (Role.TOWN_OFFICER, Role.STAFF, Role.ADMIN)


def activators_for(enterprise):
    """Who is told that an account of this firm awaits activation: its town officers and the staff."""
    return (User.objects.filter(is_active=True)
            .filter(Q(groups__name=GROUP_NAMES[Role.TOWN_OFFICER], scope__town_id=enterprise.town_id)
                    | Q(groups__name=GROUP_NAMES[Role.STAFF]))
            .distinct())


def pending_accounts(user):
    """Inactive enterprise accounts the user may activate; the scope is applied before anything else."""
    qs = (User.objects.filter(is_active=False, groups__name=GROUP_NAMES[Role.ENTERPRISE],
                              scope__enterprise__isnull=False)
          .select_related("scope__enterprise__town").order_by("date_joined", "pk"))
    role = role_of(user)
    if role in (Role.STAFF, Role.ADMIN):
        return qs
    scope = getattr(user, "scope", None)
    if role == Role.TOWN_OFFICER and scope and scope.town_id:
        return qs.filter(scope__enterprise__town_id=scope.town_id)
    return qs.none()


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            enterprise = form.enterprise
            link = reverse("enterprises:account_pending")
            for officer in activators_for(enterprise):
                notify(officer, _("%(firm)s 的企业账号“%(user)s”待激活")
                       % {"firm": enterprise.name, "user": user.username},
                       _("联系人：%(person)s，电话：%(phone)s。请核实后激活。")
                       % {"person": form.cleaned_data["contact_person"], "phone": form.cleaned_data["phone"]},
                       link)
            request.session["registered_firm"] = enterprise.name
            return redirect("enterprises:register_done")
    return render(request, "enterprises/register.html", {"form": form})


def register_done(request):
    return render(request, "enterprises/register_done.html",
                  {"firm_name": request.session.pop("registered_firm", "")})


@roles_required(*ACTIVATORS)
def account_pending(request):
    return render(request, "enterprises/account_pending.html", {"accounts": pending_accounts(request.user)})


@roles_required(*ACTIVATORS)
@require_POST
def account_activate(request, pk):
    account = get_object_or_404(pending_accounts(request.user), pk=pk)
    account.is_active = True
    account.save(update_fields=["is_active"])
    firm = account.scope.enterprise
    notify(account, _("您的企业账号已激活"),
           _("%(firm)s 的账号“%(user)s”已激活，现在可以登录平台。") % {"firm": firm.name, "user": account.username},
           reverse("enterprises:mine"))
    messages.success(request, _("已激活 %(firm)s 的账号“%(user)s”。") % {"firm": firm.name, "user": account.username})
    return redirect("enterprises:account_pending")


@login_required
def inbox(request):
    page = Paginator(Notification.objects.filter(user=request.user).order_by("-created_at", "-pk"), 20) \
        .get_page(request.GET.get("page"))
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "enterprises/inbox.html", {"page": page, "unread": unread})


@login_required
@require_POST
def inbox_read(request):
    """POST `notification=<id>` marks that one read (404 if not the user's); without it, all are marked read.

    An optional `next` (a local URL, e.g. the notification's link) is where the user goes afterwards.
    """
    pk = request.POST.get("notification")
    if pk:
        if not pk.isdigit():
            raise Http404
        note = get_object_or_404(Notification, user=request.user, pk=int(pk))
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
    else:
        count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect(safe_next(request, "enterprises:inbox"))


urlpatterns = [
    path("register/", register, name="register"),
    path("register/done/", register_done, name="register_done"),
    path("accounts/pending/", account_pending, name="account_pending"),
    path("accounts/<int:pk>/activate/", account_activate, name="account_activate"),
    path("inbox/", inbox, name="inbox"),
    path("inbox/read/", inbox_read, name="inbox_read"),
]
