from django.shortcuts import get_object_or_404, render

from gfmd.models import SourceDocument
from sessions.models import Meeting


def home(request):
    meetings = Meeting.objects.all()
    return render(request, "gfmd/home.html", {"meetings": meetings})


def source_detail(request, slug):
    source = get_object_or_404(SourceDocument, slug=slug)
    return render(request, "gfmd/source_detail.html", {"source": source})


def page_not_found(request, exception):
    return render(request, "404.html", {"path": request.path}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
