from django.contrib import admin

from .models import Attendance, Training


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["enterprise"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "organiser", "kind"]
    list_filter = ["organiser", "kind"]
    search_fields = ["title"]
    inlines = [AttendanceInline]
