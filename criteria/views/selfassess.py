"""Placeholder until the self-assessment page lands (owned by the self-assessment work)."""
from django.http import HttpResponse


def self_assessment_page(request):
    return HttpResponse("政策计算器建设中", status=503)
