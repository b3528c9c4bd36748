from django.contrib import admin

from .models import Job, JobPart


class JobPartInline(admin.TabularInline):
    model = JobPart
    fields = ("index", "status", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "done", "total", "started_by", "created_at", "finished_at", "in_request")
    list_filter = ("kind", "status")
    readonly_fields = ("kind", "status", "params", "parts", "total", "done", "file", "started_by", "in_request",
                       "created_at", "finished_at", "outcome")
    inlines = [JobPartInline]
