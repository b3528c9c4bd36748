"""Placeholder until the self-assessment API lands."""
from rest_framework.response import Response
from rest_framework.views import APIView


class SelfAssessmentView(APIView):
    permission_classes = []
    authentication_classes = []

    def post(self, request):
        return Response({"errors": {"": ["建设中"]}}, status=503)


class EnterpriseAssessmentView(APIView):
    def get(self, request, pk):
        return Response(status=503)
